"""`kitchenasty restore`: verified archives only, never under a running server, the previous database kept aside."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from kitchenasty.cli import app as cli
from kitchenasty.core import migrate
from kitchenasty.core.backup import Manifest, create_backup
from kitchenasty.core.config import BootSettings, load_boot_settings
from kitchenasty.services import build_services
from tests.factories import make_staff
from tests.servers import free_port

runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("KITCHENASTY_", "SMTP_")) or name in ("DATABASE_URL", "JWT_SECRET"):
            monkeypatch.delenv(name, raising=False)


def restore(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, ["restore", *args])


def staff_emails(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT email FROM users")}
    finally:
        conn.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def craft_archive(path: Path, database: bytes, *, revision: str | None, sha: str | None = None, **extra: bytes) -> Path:
    """An archive laid out like `kitchenasty backup` writes them, with whatever content a test needs."""
    manifest = Manifest(
        kind="backup",
        version="0.1.0",
        revision=revision,
        created_at="2025-06-01T10:00:00Z",
        database_bytes=len(database),
        database_sha256=sha or hashlib.sha256(database).hexdigest(),
        has_secret="secret_key" in extra,
        has_config="kitchenasty.toml" in extra,
    )
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {"manifest.json": manifest.to_json(), "database.sqlite3": database, **extra}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def database_with_revision(path: Path, revision: str | None) -> bytes:
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
        if revision:
            conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        conn.commit()
    finally:
        conn.close()
    return path.read_bytes()


async def test_restore_puts_the_backup_back_and_keeps_the_previous_database_aside(boot: BootSettings) -> None:
    services = build_services(boot)
    await make_staff(services, email="before@example.com")
    archive = create_backup(boot).path
    await make_staff(services, email="after@example.com")
    await services.db.dispose()
    db = boot.sqlite_path
    assert db is not None

    result = restore(str(archive), "--data-dir", str(boot.data_dir))

    assert result.exit_code == 0, result.output
    assert staff_emails(db) == {"before@example.com"}
    (aside,) = boot.data_dir.glob("kitchenasty.db.before-restore-*")
    assert "after@example.com" in staff_emails(aside)
    assert f"kept the previous database as {aside}" in result.output
    assert f"restored the database to {db}" in result.output
    assert "sha256 ok, integrity ok" in result.output
    assert "secret key: " in result.output and "already matches the archive" in result.output
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert oct(db.stat().st_mode & 0o777) == "0o600"


def test_restore_on_a_new_box_brings_the_secret_key_and_config(boot: BootSettings, tmp_path: Path) -> None:
    (boot.data_dir / "kitchenasty.toml").write_text("[server]\nport = 8123\n")
    archive = create_backup(boot, tmp_path).path
    new_box = tmp_path / "new-box"

    result = restore(str(archive), "--data-dir", str(new_box))

    assert result.exit_code == 0, result.output
    assert (new_box / "secret_key").read_text() == boot.secret_file.read_text()
    assert oct((new_box / "secret_key").stat().st_mode & 0o777) == "0o600"
    assert load_boot_settings(new_box, env={}).port == 8123
    assert "there was no previous database" in result.output
    assert migrate.current_revision(f"sqlite:///{new_box / 'kitchenasty.db'}") == migrate.head_revision()


def test_restore_keeps_a_different_secret_unless_with_secrets(boot: BootSettings, tmp_path: Path) -> None:
    archive = create_backup(boot, tmp_path).path
    other = tmp_path / "other"
    other.mkdir(mode=0o700)
    own_secret = secrets.token_urlsafe(48) + "\n"
    (other / "secret_key").write_text(own_secret)

    kept = restore(str(archive), "--data-dir", str(other))
    assert kept.exit_code == 0, kept.output
    assert (other / "secret_key").read_text() == own_secret
    assert "kept the existing" in kept.output and "--with-secrets" in kept.output

    replaced = restore(str(archive), "--with-secrets", "--data-dir", str(other))
    assert replaced.exit_code == 0, replaced.output
    assert (other / "secret_key").read_text() == boot.secret_file.read_text()
    (aside,) = other.glob("secret_key.before-restore-*")
    assert aside.read_text() == own_secret


def test_restore_refuses_a_damaged_archive_and_changes_nothing(boot: BootSettings, tmp_path: Path) -> None:
    db = boot.sqlite_path
    assert db is not None
    before = sha256(db)
    content = bytearray(db.read_bytes())
    content[5000] ^= 0xFF
    archive = craft_archive(tmp_path / "damaged.tar.gz", bytes(content), revision="0001", sha="0" * 64)

    result = restore(str(archive), "--data-dir", str(boot.data_dir))

    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: damaged.tar.gz is damaged: the database does not match its SHA-256 in the manifest"
    )
    assert sha256(db) == before
    assert list(boot.data_dir.glob("*.before-restore-*")) == []


def test_restore_refuses_a_database_that_fails_integrity_check(boot: BootSettings, tmp_path: Path) -> None:
    db = boot.sqlite_path
    assert db is not None
    content = bytearray(db.read_bytes())
    page_size = int.from_bytes(content[16:18], "big")
    for page in range(2, len(content) // page_size - 1):  # scribble over b-tree pages, keep the header page
        content[page * page_size + 8 : page * page_size + 40] = b"\xa5" * 32
    archive = craft_archive(tmp_path / "corrupt.tar.gz", bytes(content), revision=migrate.head_revision())
    before = sha256(db)

    result = restore(str(archive), "--data-dir", str(boot.data_dir))

    assert result.exit_code == 1
    assert result.output.startswith("error: corrupt.tar.gz: the database fails its integrity check (")
    assert len(result.output.strip().splitlines()) == 1
    assert sha256(db) == before


def test_restore_refuses_an_archive_from_a_newer_version(boot: BootSettings, tmp_path: Path) -> None:
    database = database_with_revision(tmp_path / "newer.db", "9999_from_the_future")
    archive = craft_archive(tmp_path / "newer.tar.gz", database, revision="9999_from_the_future")

    result = restore(str(archive), "--data-dir", str(boot.data_dir))

    assert result.exit_code == 1
    assert "comes from a newer KitchenAsty" in result.output
    assert "upgrade it, then restore" in result.output
    assert list(boot.data_dir.glob("*.before-restore-*")) == []


def test_restore_migrates_an_older_database_to_head(tmp_path: Path) -> None:
    database = database_with_revision(tmp_path / "old.db", None)
    archive = craft_archive(tmp_path / "old.tar.gz", database, revision=None)

    left = restore(str(archive), "--no-migrate", "--data-dir", str(tmp_path / "a"))
    assert left.exit_code == 0, left.output
    assert "run `kitchenasty migrate` before `serve`" in left.output
    assert migrate.current_revision(f"sqlite:///{tmp_path / 'a' / 'kitchenasty.db'}") is None

    migrated = restore(str(archive), "--data-dir", str(tmp_path / "b"))
    assert migrated.exit_code == 0, migrated.output
    assert f"database migrated: revision none -> {migrate.head_revision()}" in migrated.output
    assert migrate.is_at_head(f"sqlite:///{tmp_path / 'b' / 'kitchenasty.db'}")


def test_restore_refuses_an_archive_with_unexpected_members(boot: BootSettings, tmp_path: Path) -> None:
    database = database_with_revision(tmp_path / "x.db", migrate.head_revision())
    archive = craft_archive(
        tmp_path / "evil.tar.gz", database, revision=migrate.head_revision(), **{"../escape": b"boom"}
    )

    result = restore(str(archive), "--data-dir", str(boot.data_dir))

    assert result.exit_code == 1
    assert "is not a KitchenAsty backup (unexpected member '../escape')" in result.output
    assert not (boot.data_dir.parent / "escape").exists()


def test_restore_refuses_something_that_is_not_an_archive(boot: BootSettings, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("not a tarball")
    result = restore(str(bogus), "--data-dir", str(boot.data_dir))
    assert result.exit_code == 1
    assert result.output.startswith("error: notes.tar.gz is not a readable backup archive")
    missing = restore(str(tmp_path / "nope.tar.gz"), "--data-dir", str(boot.data_dir))
    assert missing.exit_code == 1
    assert missing.output.strip() == f"error: no archive at {tmp_path / 'nope.tar.gz'}"


def test_restore_into_a_postgresql_database_says_use_pg_restore(boot: BootSettings, tmp_path: Path) -> None:
    archive = create_backup(boot, tmp_path).path
    result = runner.invoke(
        cli,
        ["restore", str(archive), "--data-dir", str(boot.data_dir)],
        env={"KITCHENASTY_DATABASE_URL": "postgresql://kitchenasty:pw@db.example/kitchenasty"},
    )
    assert result.exit_code == 1
    assert "pg_dump" in result.output and "pg_restore" in result.output


def test_restore_refuses_while_a_server_is_running(data_dir: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KITCHENASTY_", "SMTP_"))}
    cli_cmd = [sys.executable, "-m", "kitchenasty"]
    port = free_port()
    server = subprocess.Popen(
        [*cli_cmd, "serve", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "serve exited early"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not answer"
            time.sleep(0.1)
        backup = subprocess.run(
            [*cli_cmd, "backup", str(tmp_path / "b"), "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert backup.returncode == 0, backup.stderr
        (archive,) = (tmp_path / "b").glob("*.tar.gz")
        db = data_dir / "kitchenasty.db"
        before = sha256(db)

        refused = subprocess.run(
            [*cli_cmd, "restore", str(archive), "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

        assert refused.returncode == 1
        assert refused.stderr.strip() == (
            f"error: a KitchenAsty server (pid {server.pid}) is using {data_dir}; "
            "stop it first (e.g. `systemctl stop kitchenasty`), then restore"
        )
        assert "Traceback" not in refused.stderr
        assert sha256(db) == before
        assert list(data_dir.glob("*.before-restore-*")) == []

        second = subprocess.run(
            [*cli_cmd, "serve", "--data-dir", str(data_dir), "--port", str(free_port())],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert second.returncode == 1
        assert f"is in use by another KitchenAsty process (pid {server.pid})" in second.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0

    after = restore(str(archive), "--data-dir", str(data_dir))
    assert after.exit_code == 0, after.output
