"""axe-core (vendored from npm in `vendor/axe-core`) run on a page in the browser: the violations that matter."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@cache
def _axe_source() -> str:
    return AXE.read_text()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical axe violations on the page as it is now, each as rule id, impact and the elements.

    The engine is evaluated through the DevTools protocol, which the pages' Content-Security-Policy does not block
    (a `<script>` tag would be)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]
