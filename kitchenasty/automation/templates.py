"""`{{dot.path}}` templates for automation actions (e-mail subject/body, SMS body, recipients).

- A placeholder is `{{` + a dot path + `}}`; spaces inside the braces are allowed (`{{ order.orderNumber }}`).
- Single braces are plain text (CSS in an HTML body is fine); a `{{` without its `}}`, a stray `}}`, or anything
  other than a dot path inside the braces is a TemplateError, reported when the rule is saved.
- A missing path renders as "". `None` renders "", booleans "true"/"false", non-integral or money-like floats
  with two decimals (`12.50`), lists and objects as compact JSON.
- With `escape_html=True` (HTML e-mail bodies) every interpolated value is HTML-escaped; the template text
  itself is the rule author's HTML and is kept as written.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PATH_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")
_HTML_TAG_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*|/[A-Za-z][A-Za-z0-9-]*|!--)[^<>]*>")


class TemplateError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Placeholder:
    path: str


@dataclass(frozen=True)
class Template:
    source: str
    parts: tuple[str | Placeholder, ...]

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(p.path for p in self.parts if isinstance(p, Placeholder))


def parse(source: str) -> Template:
    """Split a template into text and placeholders; raise TemplateError on unbalanced or malformed braces."""
    parts: list[str | Placeholder] = []
    i = 0
    while True:
        opening = source.find("{{", i)
        stray = source.find("}}", i)
        if stray != -1 and (opening == -1 or stray < opening):
            raise TemplateError(
                f"'}}}}' at position {stray} has no opening '{{{{' (placeholders look like {{{{order.id}}}})"
            )
        if opening == -1:
            if i < len(source):
                parts.append(source[i:])
            break
        closing = source.find("}}", opening + 2)
        if closing == -1:
            raise TemplateError(f"'{{{{' at position {opening} is never closed with '}}}}'")
        inner = source[opening + 2 : closing]
        if "{" in inner or "}" in inner:
            raise TemplateError(f"unbalanced braces at position {opening}: {source[opening : closing + 2]!r}")
        path = inner.strip()
        if not PATH_RE.fullmatch(path):
            raise TemplateError(
                f"{source[opening : closing + 2]!r} at position {opening} is not a dot path such as {{{{order.orderNumber}}}}"
            )
        if opening > i:
            parts.append(source[i:opening])
        parts.append(Placeholder(path))
        i = closing + 2
    return Template(source=source, parts=tuple(parts))


def lookup(payload: Any, path: str) -> Any:
    """The value at a dot path (`order.items.0.name`), or None when any segment is missing."""
    node = payload
    for segment in path.split("."):
        if isinstance(node, Mapping):
            if segment not in node:
                return None
            node = node[segment]
        elif isinstance(node, list | tuple) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return None
    return node


def format_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value == round(value, 2):
            return f"{value:.2f}"
        return repr(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def render(template: Template | str, payload: Any, *, escape_html: bool = False) -> str:
    """Fill the placeholders from `payload` (missing paths render as "")."""
    parsed = parse(template) if isinstance(template, str) else template
    out: list[str] = []
    for part in parsed.parts:
        if isinstance(part, Placeholder):
            text = format_value(lookup(payload, part.path))
            out.append(html.escape(text) if escape_html else text)
        else:
            out.append(part)
    return "".join(out)


def looks_like_html(source: str) -> bool:
    return bool(_HTML_TAG_RE.search(source))


def render_email_body(template: Template | str, payload: Any) -> tuple[str, str | None]:
    """(html, text) for an e-mail body. An HTML template keeps its markup and escapes the values; a plain-text
    template is sent as text, and as HTML with the whole result escaped and line breaks kept."""
    source = template if isinstance(template, str) else template.source
    if looks_like_html(source):
        return render(template, payload, escape_html=True), None
    text = render(template, payload)
    return "<p>" + html.escape(text).replace("\n", "<br>\n") + "</p>", text
