MATRIX = {
    ("GET", "/api/reservations/availability"): "public",
    ("GET", "/api/reservations/my-reservations"): "customer",
    ("GET", "/api/reservations/analytics"): "staff",
    ("POST", "/api/reservations"): "optional",
    ("POST", "/api/reservations/walk-in"): "staff",
    ("GET", "/api/reservations"): "staff",
    ("GET", "/api/reservations/{reservation_id:str}"): "optional",
    ("PATCH", "/api/reservations/{reservation_id:str}"): "staff",
    ("POST", "/api/reservations/{reservation_id:str}/cancel"): "optional",
    ("DELETE", "/api/reservations/{reservation_id:str}"): "manager",
}
