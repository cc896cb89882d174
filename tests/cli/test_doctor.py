"""`kitchenasty doctor`: every check passes on a healthy data dir, and each one fails on its own problem."""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kitchenasty.app import create_app
from kitchenasty.cli import app as cli
from kitchenasty.core.backup import DataDirLock
from kitchenasty.core.config import BootSettings
from tests.servers import SMTPServer, free_port, serve

runner = CliRunner()
CHECKS = ("data dir", "secret key", "config", "database", "migrations", "mail", "port", "disk space")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("KITCHENASTY_", "SMTP_")) or name in ("DATABASE_URL", "JWT_SECRET"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture
def port() -> int:
    return free_port()


def doctor(data_dir: Path, port: int, *args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, tuple]]:
    """Run doctor; return its exit code and {check name: (status, detail)}."""
    result = runner.invoke(
        cli, ["doctor", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port), *args], env=env
    )
    found: dict[str, tuple[str, str]] = {}
    for line in result.output.splitlines():
        status, _, rest = line.strip().partition("  ")
        for name in CHECKS:
            if rest.startswith(name + " "):
                found[name] = (status, rest[len(name) :].strip())
    assert list(found) == list(CHECKS), result.output
    return result.exit_code, found


def failing(checks: dict[str, tuple]) -> dict[str, str]:
    return {name: detail for name, (status, detail) in checks.items() if status != "ok"}


def test_doctor_passes_every_check_on_a_healthy_data_dir(data_dir: Path, port: int) -> None:
    code, checks = doctor(data_dir, port)
    assert failing(checks) == {}
    assert code == 0
    assert checks["secret key"][1].endswith("(mode 0600)")
    assert checks["migrations"][1].startswith("at head")
    assert checks["mail"][1] == "not configured (nothing is e-mailed)"
    assert checks["port"][1] == f"127.0.0.1:{port} is free"


def test_doctor_fails_a_missing_data_dir(tmp_path: Path, port: int) -> None:
    missing = tmp_path / "nowhere"
    code, checks = doctor(missing, port)
    assert code == 1
    assert checks["data dir"] == ("FAIL", f"{missing} does not exist; run `kitchenasty init`")
    assert checks["database"][0] == "FAIL"
    assert checks["migrations"] == ("skip", "no database to check yet")


def test_doctor_fails_a_data_dir_other_users_can_read(data_dir: Path, port: int) -> None:
    data_dir.chmod(0o755)
    code, checks = doctor(data_dir, port)
    assert code == 1
    assert failing(checks) == {
        "data dir": f"{data_dir} is open to other users (mode 0755); chmod 700 {data_dir}",
    }


def test_doctor_fails_a_missing_secret_key(data_dir: Path, port: int) -> None:
    (data_dir / "secret_key").unlink()
    code, checks = doctor(data_dir, port)
    assert code == 1
    assert checks["secret key"] == (
        "FAIL",
        f"{data_dir / 'secret_key'} is missing; run `kitchenasty init` (or restore a backup)",
    )


def test_doctor_fails_a_secret_key_others_can_read(data_dir: Path, port: int) -> None:
    secret = data_dir / "secret_key"
    secret.chmod(0o644)
    code, checks = doctor(data_dir, port)
    assert code == 1
    assert failing(checks) == {"secret key": f"{secret} is readable by others (mode 0644); chmod 600 {secret}"}


def test_doctor_fails_a_config_file_that_does_not_parse(data_dir: Path, port: int) -> None:
    (data_dir / "kitchenasty.toml").write_text("[server\nport = 80\n")
    code, checks = doctor(data_dir, port)
    assert code == 1
    assert checks["config"][0] == "FAIL"
    assert "kitchenasty.toml" in checks["config"][1]
    for name in ("database", "migrations", "mail", "port"):
        assert checks[name] == ("skip", "the config does not parse")
    assert checks["data dir"][0] == "ok" and checks["disk space"][0] == "ok"


def test_doctor_fails_a_config_value_out_of_range(data_dir: Path, port: int) -> None:
    (data_dir / "kitchenasty.toml").write_text("[settings.mail]\nsmtp_port = 70000\n")
    code, checks = doctor(data_dir, port)
    assert code == 1
    assert checks["config"][0] == "FAIL"


def test_doctor_fails_a_corrupt_database(data_dir: Path, port: int) -> None:
    db = data_dir / "kitchenasty.db"
    content = bytearray(db.read_bytes())
    page_size = int.from_bytes(content[16:18], "big")
    for page in range(2, len(content) // page_size - 1):
        content[page * page_size + 8 : page * page_size + 40] = b"\xa5" * 32
    db.write_bytes(bytes(content))
    code, checks = doctor(data_dir, port)
    assert code == 1
    status, detail = checks["database"]
    assert status == "FAIL"
    assert detail.startswith(f"{db} fails PRAGMA integrity_check: ")
    assert detail.endswith("; restore a backup")


def test_doctor_fails_a_missing_database(data_dir: Path, port: int) -> None:
    (data_dir / "kitchenasty.db").unlink()
    code, checks = doctor(data_dir, port)
    assert code == 1
    assert checks["database"] == ("FAIL", f"no database at {data_dir / 'kitchenasty.db'}; run `kitchenasty init`")


def set_revision(data_dir: Path, revision: str | None) -> None:
    conn = sqlite3.connect(data_dir / "kitchenasty.db")
    try:
        conn.execute("DELETE FROM alembic_version")
        if revision:
            conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        conn.commit()
    finally:
        conn.close()


def test_doctor_fails_a_database_behind_head(data_dir: Path, port: int) -> None:
    set_revision(data_dir, None)
    code, checks = doctor(data_dir, port)
    assert code == 1
    status, detail = checks["migrations"]
    assert status == "FAIL"
    assert detail.startswith("database at none, this program needs ")
    assert detail.endswith("run `kitchenasty migrate`")


def test_doctor_fails_a_database_newer_than_the_program(data_dir: Path, port: int) -> None:
    set_revision(data_dir, "9999_future")
    code, checks = doctor(data_dir, port)
    assert code == 1
    assert checks["migrations"][0] == "FAIL"
    assert "database at 9999_future, newer than this program" in checks["migrations"][1]


def test_doctor_fails_an_unreachable_smtp_server(data_dir: Path, port: int) -> None:
    dead = free_port()  # nothing listens there
    code, checks = doctor(data_dir, port, env={"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(dead)})
    assert code == 1
    status, detail = checks["mail"]
    assert status == "FAIL"
    assert detail.startswith(f"cannot reach SMTP server 127.0.0.1:{dead}: ")


def test_doctor_reaches_a_running_smtp_server(data_dir: Path, port: int) -> None:
    with SMTPServer() as smtp:
        code, checks = doctor(data_dir, port, env={"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port)})
    assert code == 0
    assert checks["mail"][1].startswith(f"SMTP server 127.0.0.1:{smtp.port} reachable")


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_doctor_fails_a_port_taken_by_another_program(data_dir: Path, busy_port: int) -> None:
    code, checks = doctor(data_dir, busy_port)
    assert code == 1
    assert failing(checks) == {
        "port": f"127.0.0.1:{busy_port} is not available: Address already in use; free it or set [server] port"
    }


def test_doctor_accepts_a_port_served_by_this_data_dirs_kitchenasty(boot: BootSettings) -> None:
    with DataDirLock(boot.data_dir) as lock, serve(create_app(boot)) as server:
        assert lock.acquire()
        code, checks = doctor(boot.data_dir, server.port)
    assert code == 0
    assert checks["port"][1].startswith(f"127.0.0.1:{server.port} is served by this data dir's KitchenAsty ")


def test_doctor_fails_a_port_served_by_another_data_dirs_kitchenasty(boot: BootSettings, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert (
        runner.invoke(
            cli, ["init", "--data-dir", str(other), "--admin-email", "o@example.com", "--admin-password", "long-pass-1"]
        ).exit_code
        == 0
    )
    with DataDirLock(boot.data_dir) as lock, serve(create_app(boot)) as server:
        assert lock.acquire()
        code, checks = doctor(other, server.port)
    assert code == 1
    status, detail = checks["port"]
    assert status == "FAIL"
    assert detail.startswith(f"127.0.0.1:{server.port} is served by another KitchenAsty (not the one of {other})")


def test_doctor_fails_when_free_disk_space_is_below_the_minimum(data_dir: Path, port: int) -> None:
    code, checks = doctor(data_dir, port, "--min-free-mb", str(1 << 40))
    assert code == 1
    status, detail = checks["disk space"]
    assert status == "FAIL"
    assert detail.startswith("only ") and f"free on {data_dir}" in detail
