MATRIX = {
    ("GET", "/api/staff/invite/{token:str}"): "public",
    ("POST", "/api/staff/accept-invite"): "public",
    ("GET", "/api/staff"): "manager",
    ("POST", "/api/staff/invite"): "admin",
    ("GET", "/api/staff/{staff_id:str}"): "manager",
    ("PATCH", "/api/staff/{staff_id:str}"): "admin",
    ("DELETE", "/api/staff/{staff_id:str}"): "admin",
}
