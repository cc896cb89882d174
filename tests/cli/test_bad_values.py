"""Values an owner can get wrong, through real `kitchenasty` processes: one line that names the problem, a
non-zero exit, never a traceback, and `serve` prints no banner when it is not going to serve."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_serve_subprocess import CLI, clean_env
from tests.servers import free_port


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], capture_output=True, text=True, env={**clean_env(), **(env or {})}, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-bad") / "data"
    made = run("init", "--data-dir", str(path), "--admin-email", "owner@example.com", "--admin-password", "long-pass-1")
    assert made.returncode == 0, made.stderr
    return path


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("value", ["1e300", "1" * 5000, "NaN"])
def test_settings_set_with_an_absurd_number_is_one_line(data_dir: Path, value: str) -> None:
    line = one_line_error(run("settings", "set", "orders.taxRate", value, "--data-dir", str(data_dir)))
    assert "orders.taxRate" in line
    shown = run("settings", "show", "orders", "--data-dir", str(data_dir))
    assert shown.returncode == 0, shown.stderr
    assert "1e300" not in shown.stdout


def test_serve_with_a_bad_environment_value_names_it_in_one_line_and_prints_no_banner(data_dir: Path) -> None:
    result = run(
        "serve",
        "--data-dir",
        str(data_dir),
        "--host",
        "127.0.0.1",
        "--port",
        str(free_port()),
        env={"KITCHENASTY_ORDERS__TAX_RATE": "1e300"},
    )
    line = one_line_error(result)
    assert "KITCHENASTY_ORDERS__TAX_RATE" in line
    assert "listening" not in result.stdout


def test_serve_on_a_port_in_use_is_one_line_without_the_banner(data_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("serve", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port))
    line = one_line_error(result)
    assert f"port {port}" in line and "in use" in line
    assert "listening" not in result.stdout
    assert "storefront" not in result.stdout
