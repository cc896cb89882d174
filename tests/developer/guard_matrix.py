MATRIX = {
    ("GET", "/api/developer/audit-logs"): "admin",
    ("GET", "/api/developer/audit-logs/facets"): "admin",
    ("GET", "/api/developer/metrics"): "manager",
    ("GET", "/api/developer/metrics/endpoints"): "manager",
}
