MATRIX = {
    ("GET", "/api/customers"): "manager",
    ("GET", "/api/customers/{customer_id:str}"): "manager",
    ("PATCH", "/api/customers/{customer_id:str}"): "manager",
    ("GET", "/api/customers/{customer_id:str}/export"): "manager",
    ("GET", "/api/customers/{customer_id:str}/orders"): "manager",
}
