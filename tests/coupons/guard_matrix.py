MATRIX = {
    ("POST", "/api/coupons/validate"): "public",
    ("GET", "/api/coupons"): "staff",
    ("GET", "/api/coupons/{coupon_id:str}"): "staff",
    ("POST", "/api/coupons"): "manager",
    ("PATCH", "/api/coupons/{coupon_id:str}"): "manager",
    ("DELETE", "/api/coupons/{coupon_id:str}"): "manager",
}
