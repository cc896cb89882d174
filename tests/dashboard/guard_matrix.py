MATRIX = {
    ("GET", "/api/dashboard/stats"): "staff",
}
