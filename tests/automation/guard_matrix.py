MATRIX = {
    ("GET", "/api/automation-rules"): "manager",
    ("POST", "/api/automation-rules"): "manager",
    ("GET", "/api/automation-rules/{rule_id:str}"): "manager",
    ("PATCH", "/api/automation-rules/{rule_id:str}"): "manager",
    ("DELETE", "/api/automation-rules/{rule_id:str}"): "admin",
    ("GET", "/api/automation/deliveries"): "manager",
    ("POST", "/api/automation/deliveries/{delivery_id:str}/retry"): "manager",
    ("POST", "/api/automation/deliveries/retry-failed"): "manager",
    ("POST", "/api/automation/deliveries/failures/seen"): "manager",
    ("POST", "/api/settings/mail/test"): "admin",
}
MATRIX.update(
    {
        ("GET", "/api/automation/events"): "manager",
        ("POST", "/api/automation/preview"): "manager",
    }
)
