"""Small shared input rules, written once: field types for msgspec schemas and the sentences their refusals read,
and the checks services run on slugs, names, amounts and times of day (raising `ValidationFailed`).

A constrained `Annotated[str, Meta(pattern=...)]` makes msgspec answer "Expected `str` matching regex ..." — no
sentence for a person. `PATTERN_MESSAGES` maps each pattern used here to what the error envelope says instead
(`core.http` looks it up).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

import msgspec

from kitchenasty.core.errors import ValidationFailed
from kitchenasty.core.money import from_cents, to_cents

EMAIL_PATTERN = r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$"
"""Something@somewhere.tld: what a form can check; whether mail arrives is the mail server's to say."""
EMAIL_RE = re.compile(EMAIL_PATTERN)


def valid_email(text: str) -> bool:
    return bool(EMAIL_RE.match(text.strip()))


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


# ---------------------------------------------------------------- checks services run on what a person typed

SLUG_RE = re.compile(r"^[a-z0-9-]+$")
SLUG_MESSAGE = "Slug must be lowercase alphanumeric with hyphens"


def check_slug(slug: str) -> str:
    """A slug as it appears in URLs: lowercase letters, digits and hyphens."""
    if not SLUG_RE.match(slug):
        raise ValidationFailed(SLUG_MESSAGE, code="INVALID_SLUG")
    return slug


def not_blank(value: str, field: str) -> str:
    """`value` without surrounding whitespace; refused when nothing is left."""
    value = value.strip()
    if not value:
        raise ValidationFailed(f"{field} must not be blank", code="VALIDATION_ERROR")
    return value


def bounded_cents(
    amount: Decimal | int | str, field: str, maximum: int, *, negative: bool = False, say_maximum: bool = False
) -> int:
    """A major-unit amount as cents, at most `maximum` cents either way (and not below zero unless `negative`).

    Too large reads "`field` is too large", or with `say_maximum` "`field` must be at most <maximum>" (whole units).
    """
    cents = to_cents(amount, field=field)
    if cents < 0 and not negative:
        raise ValidationFailed(f"{field} must not be negative", code="INVALID_AMOUNT")
    if abs(cents) > maximum:
        message = f"{field} must be at most {from_cents(maximum):.0f}" if say_maximum else f"{field} is too large"
        raise ValidationFailed(message, code="INVALID_AMOUNT")
    return cents


def valid_hhmm(value: str) -> bool:
    """A 24-hour "HH:MM" time of day (00:00 to 23:59)."""
    if len(value) != 5 or value[2] != ":" or not (value[:2].isdigit() and value[3:].isdigit()):
        return False
    return int(value[:2]) < 24 and int(value[3:]) < 60


def check_time(value: str, field: str, *, echo: bool = False) -> str:
    """A 24-hour "HH:MM" time; with `echo` the refusal quotes what was sent."""
    if not valid_hhmm(value):
        sent = f", got '{value}'" if echo else ""
        raise ValidationFailed(f"{field} must be HH:MM (00:00 to 23:59){sent}", code="INVALID_TIME")
    return value
