"""The kitchen line: stations (where an order's items are prepared) and how an item finds its station."""
