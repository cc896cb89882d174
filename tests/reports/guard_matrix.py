MATRIX = {
    ("GET", "/api/reports/z"): "manager",
    ("GET", "/api/reports/z.csv"): "manager",
}
