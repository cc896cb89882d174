"""Payments: cash and card on site marked by staff, Stripe (hosted Checkout, PaymentIntents), PayPal; refunds."""
