"""Small shared input rules, written once: field types for msgspec schemas and the sentences their refusals read.

A constrained `Annotated[str, Meta(pattern=...)]` makes msgspec answer "Expected `str` matching regex ..." — no
sentence for a person. `PATTERN_MESSAGES` maps each pattern used here to what the error envelope says instead
(`core.http` looks it up).
"""

from __future__ import annotations

import re
from typing import Annotated

import msgspec

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
"""Something@somewhere.tld: what a form can check; whether mail arrives is the mail server's to say."""
_EMAIL = re.compile(EMAIL_PATTERN)


def valid_email(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))


def normalise_email(email: str) -> str:
    """How e-mail addresses are stored and compared: trimmed and in lower case."""
    return email.strip().lower()


IMAGE_URL_PATTERN = r"^(?:https?://[^\s\"'<>\\]+|/uploads/(?!.*\.\.)[A-Za-z0-9._/-]+)$"
"""An image is an http(s) URL or a file we serve under `/uploads/`; never `javascript:`, `data:` or a relative
path that could climb out of `/uploads/`."""

ImageUrl = Annotated[str, msgspec.Meta(max_length=2048, pattern=IMAGE_URL_PATTERN)]
Email = Annotated[str, msgspec.Meta(pattern=EMAIL_PATTERN, max_length=254)]
NewPassword = Annotated[str, msgspec.Meta(min_length=8, max_length=200)]
PersonName = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Phone = Annotated[str, msgspec.Meta(max_length=40)]

PATTERN_MESSAGES: dict[str, str] = {
    IMAGE_URL_PATTERN: "must be an http(s) address or an /uploads/ path",
}
