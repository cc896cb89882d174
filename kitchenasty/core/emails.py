"""The e-mails the product writes itself (order confirmation, password reset, staff invitation, mail test): Jinja
templates under `web/templates/emails/`, a text and an HTML part each, the HTML one autoescaped.

Amounts arrive already formatted (`MoneyFormat`); nothing here reaches the database or the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from kitchenasty.core.paths import TEMPLATES_DIR


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def render_email(template: str, subject: str, /, **context: Any) -> RenderedEmail:
    """`emails/<template>.html` and `.txt` rendered with `context` (and the subject, for the HTML title)."""
    env = _environment()
    subject = " ".join(subject.split())
    html = env.get_template(f"emails/{template}.html").render(subject=subject, **context)
    text = env.get_template(f"emails/{template}.txt").render(subject=subject, **context)
    return RenderedEmail(subject=subject, html=html, text=text)
