MATRIX = {
    ("POST", "/api/payments/webhook"): "public",
    ("POST", "/api/payments/create-intent"): "optional",
    ("POST", "/api/payments/create-checkout-session"): "optional",
    ("POST", "/api/payments/paypal/create"): "optional",
    ("POST", "/api/payments/paypal/capture"): "optional",
    ("POST", "/api/payments/cash"): "staff",
    ("POST", "/api/payments/{payment_id:str}/refund"): "manager",
    ("GET", "/api/orders/{order_id:str}/payments"): "optional",
    ("POST", "/api/orders/{order_id:str}/payments/mark-paid"): "staff",
}
