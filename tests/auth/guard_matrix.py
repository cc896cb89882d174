MATRIX = {
    ("POST", "/api/auth/staff/login"): "public",
    ("POST", "/api/auth/staff/register"): "admin",
    ("POST", "/api/auth/customer/register"): "public",
    ("POST", "/api/auth/customer/login"): "public",
    ("POST", "/api/auth/logout"): "public",
    ("GET", "/api/auth/me"): "auth",
    ("POST", "/api/auth/password-reset/request"): "public",
    ("POST", "/api/auth/password-reset/confirm"): "public",
}
