"""Automation rules and the outbox (built in issue 4)."""
