"""A ticket's lines as ESC/POS bytes, built with python-escpos (`escpos.printer.Dummy` collects what a printer
would be sent); the worker sends them over TCP itself (asyncio, with timeouts).

python-escpos is imported when the first ticket is rendered, not when this module is: importing it reads its
printer-capability database (and the rest of the app never needs it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kitchenasty.printing.checks import TicketLine

_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "double_width": True, "double_height": True},
    "banner": {"bold": True, "double_width": True, "double_height": True, "invert": True},
    "head": {"bold": True, "double_height": True},
    "item": {"bold": True, "double_height": True},
    "normal": {},
    "alert": {"bold": True, "invert": True},
    "small": {"font": "b"},
}
_PLAIN = {"bold": False, "invert": False, "font": "a", "align": "left", "normal_textsize": True}


def ascii_text(text: str) -> str:
    """What Font A prints everywhere: accents folded, anything else as "?" (no code-page switching mid-ticket)."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if 32 <= ord(c) < 127 else "?" for c in folded)


def escpos_bytes(lines: Sequence[TicketLine]) -> bytes:
    """Initialise, print each line in its style, feed and cut."""
    from escpos.printer import Dummy

    printer = Dummy()
    printer.hw("INIT")
    for line in lines:
        style = _STYLES[line.style]
        sized = bool(style.get("double_width") or style.get("double_height"))
        printer.set(**{**_PLAIN, **style, "normal_textsize": not sized, "align": "center" if line.center else "left"})
        printer.textln(ascii_text(line.text))
    printer.set(**_PLAIN)
    printer.cut()
    return bytes(printer.output)
