MATRIX = {
    ("GET", "/api/stations"): "staff",
    ("POST", "/api/stations"): "manager",
    ("PATCH", "/api/stations/{station_id:str}"): "manager",
    ("DELETE", "/api/stations/{station_id:str}"): "manager",
}
