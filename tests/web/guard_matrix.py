"""Pages and static files are public: what a visitor may see is decided by the API the page calls (the kitchen
page and the back office show a staff login form; the tracking page needs the order's tracking token). WebSocket routes are not HTTP
routes; their refusals (4401/4403/4404) are tested in tests/realtime."""

MATRIX = {
    ("GET", "/"): "public",
    ("GET", "/kitchen"): "public",
    ("GET", "/track/{order_id:str}"): "public",
    ("GET", "/book"): "public",
    ("GET", "/reservations/manage/{reservation_id:str}"): "public",
    ("GET", "/staff/accept-invite"): "public",
    ("GET", "/reset-password"): "public",
    ("GET", "/static/{file_path:path}"): "public",
    # the back office's shell: a staff login form until someone logs in; the role check is the page's (403 page)
    ("GET", "/admin"): "public",
    ("GET", "/admin/{rest:path}"): "public",
}
