MATRIX = {
    ("POST", "/api/orders"): "optional",
    ("POST", "/api/orders/quote"): "optional",
    ("GET", "/api/orders"): "staff",
    ("GET", "/api/orders/my-orders"): "customer",
    ("GET", "/api/orders/export.csv"): "manager",
    ("GET", "/api/orders/{order_id:str}"): "optional",
    ("PATCH", "/api/orders/{order_id:str}/status"): "auth",
    ("GET", "/api/orders/{order_id:str}/history"): "staff",
    ("GET", "/api/orders/{order_id:str}/deliveries"): "staff",
    ("PATCH", "/api/orders/{order_id:str}/items/{item_id:str}/prep"): "staff",
    ("POST", "/api/orders/{order_id:str}/recall"): "staff",
    ("POST", "/api/orders/{order_id:str}/acknowledge"): "staff",
}
