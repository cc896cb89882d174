MATRIX = {
    ("GET", "/api/developer/audit-logs"): "admin",
}
