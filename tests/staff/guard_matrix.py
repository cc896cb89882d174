MATRIX = {
    ("GET", "/api/staff/invite/{token:str}"): "public",
    ("POST", "/api/staff/accept-invite"): "public",
    ("GET", "/api/staff"): "manager",
    ("POST", "/api/staff/invite"): "admin",
    ("GET", "/api/staff/{staff_id:str}"): "manager",
    ("PATCH", "/api/staff/{staff_id:str}"): "admin",
    ("DELETE", "/api/staff/{staff_id:str}"): "admin",
}
MATRIX.update(
    {
        ("GET", "/api/staff/invitations"): "admin",
        ("POST", "/api/staff/invitations/{invite_id:str}/resend"): "admin",
        ("DELETE", "/api/staff/invitations/{invite_id:str}"): "admin",
        ("POST", "/api/staff/{staff_id:str}/password-reset"): "admin",
    }
)
