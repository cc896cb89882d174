MATRIX = {
    ("GET", "/api/printers"): "staff",
    ("POST", "/api/printers"): "manager",
    ("PATCH", "/api/printers/{printer_id:str}"): "manager",
    ("DELETE", "/api/printers/{printer_id:str}"): "manager",
    ("POST", "/api/printers/{printer_id:str}/test"): "manager",
    ("GET", "/api/print-jobs"): "staff",
    ("GET", "/api/print-jobs/failures"): "staff",
    ("POST", "/api/print-jobs/{job_id:str}/retry"): "staff",
    ("POST", "/api/print-jobs/{job_id:str}/dismiss"): "staff",
    ("POST", "/api/orders/{order_id:str}/reprint"): "staff",
    ("POST", "/api/orders/{order_id:str}/items/{item_id:str}/void"): "staff",
}
