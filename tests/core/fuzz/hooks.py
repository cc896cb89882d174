"""Schemathesis hooks for the API fuzz run: nothing generated may point the app at a host off this machine.

A webhook action's `url`, the SMTP host or port, and the SMS API base are the only places where a request body
names a destination the app would later connect to (the outbox worker, the mail test). Such keys are removed from a
body just before it is sent; mail itself goes to the test's local SMTP server.
"""

from __future__ import annotations

from typing import Any

import schemathesis

DESTINATION_KEYS = frozenset({"url", "smtpHost", "smtpPort", "smsBaseUrl"})


def strip_destinations(value: Any) -> None:
    if isinstance(value, dict):
        for key in [key for key in value if key in DESTINATION_KEYS]:
            del value[key]
        for item in value.values():
            strip_destinations(item)
    elif isinstance(value, list):
        for item in value:
            strip_destinations(item)


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: schemathesis.Case, kwargs: dict[str, Any]) -> None:
    strip_destinations(case.body)
