"""Expected access per route: public, optional, auth, customer, staff, manager (SA+MGR), admin (SA)."""

MATRIX = {
    ("GET", "/api/health"): "public",
    ("GET", "/api/openapi.json"): "public",
    ("GET", "/api/docs"): "public",
}
