"""`kitchenasty doctor` lists the ticket printers and whether each answers on its port."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from litestar import Litestar
from typer.testing import CliRunner

from kitchenasty.cli import app as cli
from kitchenasty.printing.models import Printer
from tests.printing.receiver import PrinterReceiver
from tests.servers import free_port

runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("KITCHENASTY_", "SMTP_")):
            monkeypatch.delenv(name, raising=False)


def _doctor(data_dir: Path) -> tuple[int, dict[str, str]]:
    result = runner.invoke(cli, ["doctor", "--data-dir", str(data_dir), "--port", str(free_port())])
    lines = {}
    for line in result.output.splitlines():
        status, _, rest = line.strip().partition("  ")
        if rest.startswith("printer"):
            lines[rest.split("  ")[0].strip()] = f"{status} {rest}"
    return result.exit_code, lines


async def test_doctor_lists_printers_and_whether_they_answer(app: Litestar, data_dir: Path) -> None:
    code, lines = _doctor(data_dir)
    assert any("none set up" in text for text in lines.values()), lines
    with PrinterReceiver() as printer:
        services = app.state.services
        async with services.db.transaction() as session:
            session.add(Printer(name="Bar", host="127.0.0.1", port=printer.port))
            session.add(Printer(name="Grill", host="127.0.0.1", port=free_port()))
            session.add(Printer(name="Old", host="127.0.0.1", port=free_port(), active=False))
        await services.db.dispose()
        code, lines = _doctor(data_dir)
    text = "\n".join(lines.values())
    assert "ok printer Bar" in text and f"127.0.0.1:{printer.port} answers" in text
    assert "FAIL printer Grill" in text and "does not answer" in text
    assert "ok printer Old" in text and "switched off" in text
    assert code == 1
