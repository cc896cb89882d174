"""Values an owner can get wrong, through real `kitchenasty` processes: one line that names the problem, a
non-zero exit, never a traceback, and `serve` prints no banner when it is not going to serve."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from kitchenasty.core.config import lan_address
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


def test_settings_set_takes_a_negative_number_as_the_value_and_refuses_it(data_dir: Path) -> None:
    line = one_line_error(run("settings", "set", "orders.taxRate", "-5", "--data-dir", str(data_dir)))
    assert line == "error: orders.taxRate must not be negative"


def test_settings_show_on_a_missing_data_dir_says_it_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = run("settings", "show", "--data-dir", str(missing))
    assert result.returncode == 0
    assert f"{missing} is not initialised" in result.stderr
    assert not missing.exists()


def test_init_force_demo_on_a_data_dir_with_that_admin_keeps_the_admin_and_adds_the_demo(tmp_path: Path) -> None:
    path = tmp_path / "data"
    admin = ("--admin-email", "owner@example.com", "--admin-password", "long-pass-1")
    assert run("init", "--data-dir", str(path), *admin).returncode == 0
    again = run("init", "--force", "--demo", "--data-dir", str(path), *admin)
    assert again.returncode == 0, again.stderr
    assert "owner@example.com already has an account; kept it as it is" in again.stdout
    assert "demo restaurant 'Saffron & Sage'" in again.stdout
    only_demo = run("init", "--force", "--demo", "--data-dir", str(path))
    assert only_demo.returncode != 0  # already there: one clear line
    assert "demo data already present" in one_line_error(only_demo)


def test_init_refuses_an_admin_email_that_is_not_one(tmp_path: Path) -> None:
    result = run(
        "init", "--data-dir", str(tmp_path / "d"), "--admin-email", "bad-email", "--admin-password", "long-pass-1"
    )
    assert one_line_error(result) == "error: 'bad-email' is not an e-mail address"


def test_create_admin_refuses_an_email_that_is_not_one(data_dir: Path) -> None:
    result = run("create-admin", "--email", "bad-email", "--password", "long-pass-1", "--data-dir", str(data_dir))
    assert one_line_error(result) == "error: 'bad-email' is not an e-mail address"


def test_invite_staff_prints_a_link_a_tablet_on_the_lan_can_open(data_dir: Path) -> None:
    result = run("invite-staff", "cook@example.com", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    link = next(line for line in result.stdout.splitlines() if line.startswith("accept link: "))
    assert "127.0.0.1" not in link or lan_address() == "127.0.0.1"  # no network at all: nothing better to offer
    assert link.startswith(f"accept link: http://{lan_address()}:8000/staff/accept-invite?token=")
    assert "this box's address on the local network" in result.stdout
    configured = run(
        "invite-staff",
        "chef@example.com",
        "--data-dir",
        str(data_dir),
        env={"KITCHENASTY_PUBLIC_URL": "http://kitchen.lan:8000"},
    )
    assert "accept link: http://kitchen.lan:8000/staff/accept-invite?token=" in configured.stdout
    assert "(the link uses public_url)" in configured.stdout
