MATRIX = {
    ("GET", "/api/locations"): "public",
    ("POST", "/api/locations"): "manager",
    ("GET", "/api/locations/{location_id:str}"): "public",
    ("PATCH", "/api/locations/{location_id:str}"): "manager",
    ("DELETE", "/api/locations/{location_id:str}"): "admin",
    ("GET", "/api/locations/{location_id:str}/tables"): "public",
    ("POST", "/api/locations/{location_id:str}/tables"): "manager",
    ("GET", "/api/locations/{location_id:str}/tables/{table_id:str}"): "public",
    ("PATCH", "/api/locations/{location_id:str}/tables/{table_id:str}"): "manager",
    ("DELETE", "/api/locations/{location_id:str}/tables/{table_id:str}"): "admin",
}
