"""The owner's CLI through Typer's CliRunner (the same code path as the installed `kitchenasty`)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kitchenasty import __version__
from kitchenasty.cli import app

runner = CliRunner()
ADMIN = ["--admin-email", "owner@example.com", "--admin-password", "owner-password-1"]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "KITCHENASTY_DATA_DIR",
        "KITCHENASTY_CONFIG",
        "SMTP_HOST",
        "SMTP_PASS",
        "KITCHENASTY_ADMIN_PASSWORD",
        "DATABASE_URL",
        "JWT_SECRET",
    ):
        monkeypatch.delenv(name, raising=False)


def invoke(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env=env)


def init(data_dir: Path, *extra: str):  # type: ignore[no-untyped-def]
    result = invoke("init", "--data-dir", str(data_dir), *ADMIN, *extra)
    assert result.exit_code == 0, result.output
    return result


def test_version_prints_the_package_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"kitchenasty {__version__}"


def test_init_creates_secret_config_database_and_admin(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = init(data_dir)
    assert "SUPER_ADMIN owner@example.com" in result.output
    secret = data_dir / "secret_key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(secret.read_text().strip()) >= 32
    assert stat.S_IMODE((data_dir / "kitchenasty.toml").stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / "kitchenasty.db").stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    check = invoke("migrate", "--check", "--data-dir", str(data_dir))
    assert check.exit_code == 0
    assert "up to date" in check.output


def test_init_twice_is_refused_without_force(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init(data_dir)
    secret_before = (data_dir / "secret_key").read_text()
    again = invoke("init", "--data-dir", str(data_dir), *ADMIN)
    assert again.exit_code == 1
    assert "already initialised" in again.output
    forced = invoke(
        "init",
        "--data-dir",
        str(data_dir),
        "--force",
        "--admin-email",
        "second@example.com",
        "--admin-password",
        "second-password-1",
    )
    assert forced.exit_code == 0, forced.output
    assert (data_dir / "secret_key").read_text() == secret_before


def test_init_without_flags_and_without_a_terminal_fails_clearly(tmp_path: Path) -> None:
    result = invoke("init", "--data-dir", str(tmp_path / "data"))
    assert result.exit_code == 1
    assert "--admin-email" in result.output
    assert "Traceback" not in result.output
    short = invoke("init", "--data-dir", str(tmp_path / "data"), "--admin-email", "a@b.co", "--admin-password", "x")
    assert short.exit_code == 1
    assert "8 characters" in short.output


def test_settings_export_masks_secrets_unless_asked(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init(data_dir)
    saved = invoke("settings", "set", "mail.smtpPass", "super-secret-smtp-password", "--data-dir", str(data_dir))
    assert saved.exit_code == 0, saved.output
    secret_key = (data_dir / "secret_key").read_text().strip()
    for fmt in ("toml", "json"):
        masked = invoke("settings", "export", "--format", fmt, "--data-dir", str(data_dir))
        assert masked.exit_code == 0, masked.output
        assert "super-secret-smtp-password" not in masked.output
        assert secret_key not in masked.output
        assert "****word" in masked.output
        assert "supe" not in masked.output
    shown = invoke("settings", "export", "--show-secrets", "--data-dir", str(data_dir))
    assert "super-secret-smtp-password" in shown.output
    assert secret_key in shown.output


def test_settings_export_reports_sources(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init(data_dir)
    invoke("settings", "set", "orders.taxRate", "8.25", "--data-dir", str(data_dir))
    result = invoke(
        "settings",
        "export",
        "--format",
        "json",
        "--sources",
        "--data-dir",
        str(data_dir),
        env={"SMTP_HOST": "mail.example.com"},
    )
    doc = json.loads(result.output)
    assert doc["settings"]["orders"]["taxRate"] == {"value": 8.25, "source": "db"}
    assert doc["settings"]["mail"]["smtpHost"] == {"value": "mail.example.com", "source": "env"}
    assert doc["settings"]["mail"]["smtpPort"] == {"value": 587, "source": "default"}
    assert doc["boot"]["secret_key"]["source"] == "file"


def test_settings_set_refuses_bad_values_in_one_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init(data_dir)
    for key, value in (("orders.taxRate", "8.875"), ("mail.nope", "1"), ("nogroup.x", "1"), ("mail.smtpPort", "x")):
        result = invoke("settings", "set", key, value, "--data-dir", str(data_dir))
        assert result.exit_code == 1, (key, result.output)
        assert result.output.startswith("error:")
        assert "Traceback" not in result.output


def test_settings_show_lists_a_group(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init(data_dir)
    result = invoke("settings", "show", "mail", "--data-dir", str(data_dir))
    assert result.exit_code == 0
    assert "mail.smtpHost" in result.output
    assert "orders.taxRate" not in result.output


def test_invite_staff_prints_a_single_use_link(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init(data_dir)
    result = invoke("invite-staff", "cook@example.com", "--role", "manager", "--data-dir", str(data_dir))
    assert result.exit_code == 0, result.output
    assert "invited cook@example.com as MANAGER" in result.output
    assert "/staff/accept-invite?token=" in result.output
    assert "mail is not configured" in result.output
    bad_role = invoke("invite-staff", "cook@example.com", "--role", "chef", "--data-dir", str(data_dir))
    assert bad_role.exit_code == 1


def test_create_admin_and_set_password(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init(data_dir)
    created = invoke(
        "create-admin", "--email", "two@example.com", "--password", "two-password-1", "--data-dir", str(data_dir)
    )
    assert created.exit_code == 0, created.output
    dup = invoke(
        "create-admin", "--email", "two@example.com", "--password", "two-password-1", "--data-dir", str(data_dir)
    )
    assert dup.exit_code == 1
    assert "Email already registered" in dup.output
    changed = invoke("set-password", "two@example.com", "--password", "new-password-22", "--data-dir", str(data_dir))
    assert changed.exit_code == 0
    missing = invoke("set-password", "ghost@example.com", "--password", "new-password-22", "--data-dir", str(data_dir))
    assert missing.exit_code == 1


def test_commands_on_an_uninitialised_data_dir_fail_in_one_line(tmp_path: Path) -> None:
    for args in (("invite-staff", "a@example.com"), ("migrate", "--check"), ("settings", "set", "mail.smtpHost", "x")):
        result = invoke(*args, "--data-dir", str(tmp_path / "empty"))
        assert result.exit_code == 1, args
        assert result.output.startswith("error:"), result.output
        assert len(result.output.strip().splitlines()) == 1


def test_broken_config_is_one_clear_line(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init(data_dir)
    (data_dir / "kitchenasty.toml").write_text("[server]\nport = 'x'\n")
    result = invoke("settings", "show", "--data-dir", str(data_dir))
    assert result.exit_code == 1
    assert result.output.startswith("error: port")
    assert "Traceback" not in result.output


def test_migrate_check_reports_a_database_behind_head(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init(data_dir)
    import sqlite3

    conn = sqlite3.connect(data_dir / "kitchenasty.db")
    conn.execute("DELETE FROM alembic_version")
    conn.commit()
    conn.close()
    check = invoke("migrate", "--check", "--data-dir", str(data_dir))
    assert check.exit_code == 1
    assert "needs an upgrade" in check.output
