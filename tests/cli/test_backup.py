"""`kitchenasty backup`: archives of the live database, rotation, scheduled backups, and a backup under load."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import sqlite3
import stat
import tarfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from typer.testing import CliRunner

from kitchenasty import __version__
from kitchenasty.app import create_app
from kitchenasty.cli import app as cli
from kitchenasty.core import migrate
from kitchenasty.core.backup import create_backup, list_archives
from kitchenasty.core.config import BootSettings
from kitchenasty.services import build_services
from tests.orders.fixtures import guest_order, make_menu
from tests.servers import eventually, serve

runner = CliRunner()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("KITCHENASTY_", "SMTP_")) or name in ("DATABASE_URL", "JWT_SECRET"):
            monkeypatch.delenv(name, raising=False)


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {info.name: tar.extractfile(info).read() for info in tar}  # type: ignore[union-attr]


def test_backup_archive_holds_database_secret_config_and_manifest(data_dir: Path, tmp_path: Path) -> None:
    config = data_dir / "kitchenasty.toml"
    config.write_text('[server]\nport = 8123\n[settings.general]\nrestaurant_name = "Harbour"\n')
    target = tmp_path / "backups"

    result = runner.invoke(cli, ["backup", str(target), "--data-dir", str(data_dir)])

    assert result.exit_code == 0, result.output
    (archive,) = target.iterdir()
    assert archive.name.startswith("kitchenasty-backup-") and archive.name.endswith(".tar.gz")
    assert str(archive) in result.output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    content = members(archive)
    assert sorted(content) == ["database.sqlite3", "kitchenasty.toml", "manifest.json", "secret_key"]
    manifest = json.loads(content["manifest.json"])
    assert manifest["program"] == "kitchenasty"
    assert manifest["version"] == __version__
    assert manifest["revision"] == migrate.head_revision()
    assert manifest["kind"] == "backup"
    assert manifest["database"]["sha256"] == hashlib.sha256(content["database.sqlite3"]).hexdigest()
    assert manifest["database"]["bytes"] == len(content["database.sqlite3"])
    assert manifest["secretKey"] is True and manifest["config"] is True
    assert content["secret_key"] == (data_dir / "secret_key").read_bytes()
    assert content["kitchenasty.toml"] == config.read_bytes()
    created = datetime.fromisoformat(manifest["createdAt"].replace("Z", "+00:00"))
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=1)


def test_backup_defaults_to_the_backup_dir_and_accepts_an_archive_name(data_dir: Path, tmp_path: Path) -> None:
    default = runner.invoke(cli, ["backup", "--data-dir", str(data_dir)])
    assert default.exit_code == 0, default.output
    assert [a.kind for a in list_archives(data_dir / "backups", "backup")] == ["backup"]
    assert stat.S_IMODE((data_dir / "backups").stat().st_mode) == 0o700

    named = tmp_path / "before-upgrade.tar.gz"
    result = runner.invoke(cli, ["backup", str(named), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "manifest.json" in members(named)

    again = runner.invoke(cli, ["backup", str(named), "--data-dir", str(data_dir)])
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_backup_keep_removes_the_oldest_of_its_own_archives(boot: BootSettings, tmp_path: Path) -> None:
    target = tmp_path / "backups"
    now = datetime.now(UTC)
    old = [create_backup(boot, target, now=now - timedelta(days=d)).path for d in (3, 2, 1)]
    scheduled = create_backup(boot, target, kind="scheduled", now=now - timedelta(days=5)).path

    result = runner.invoke(cli, ["backup", str(target), "--keep", "2", "--data-dir", str(boot.data_dir)])

    assert result.exit_code == 0, result.output
    kept = [a.path for a in list_archives(target, "backup")]
    assert len(kept) == 2
    assert kept[0] == old[2]
    assert not old[0].exists() and not old[1].exists()
    assert f"removed old backup {old[0].name}" in result.output
    assert scheduled.exists()  # `backup --keep` never deletes the server's scheduled archives


def test_backup_keep_below_one_is_refused(data_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["backup", str(tmp_path), "--keep", "0", "--data-dir", str(data_dir)])
    assert result.exit_code == 1
    assert result.output.strip() == "error: --keep must be at least 1"
    assert list(tmp_path.glob("*.tar.gz")) == []


def test_backup_of_a_postgresql_database_says_use_pg_dump(data_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        ["backup", str(tmp_path / "out"), "--data-dir", str(data_dir)],
        env={"KITCHENASTY_DATABASE_URL": "postgresql://kitchenasty:pw@db.example/kitchenasty"},
    )
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert "pg_dump" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_backup_without_a_database_fails_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(cli, ["backup", "--data-dir", str(tmp_path / "empty")])
    assert result.exit_code == 1
    assert result.output.startswith("error: no database at ")
    assert len(result.output.strip().splitlines()) == 1


@pytest.fixture
def scheduled_env(env: dict[str, str]) -> dict[str, str]:
    env.update({"KITCHENASTY_BACKUP_SCHEDULE_HOURS": "6", "KITCHENASTY_BACKUP_KEEP": "2"})
    return env


async def test_backup_scheduler_backs_up_when_due_and_keeps_backup_keep(
    scheduled_env: dict[str, str], boot: BootSettings
) -> None:
    now = datetime.now(UTC)
    stale = [create_backup(boot, kind="scheduled", now=now - timedelta(hours=h)).path for h in (30, 20, 7)]
    manual = create_backup(boot, now=now - timedelta(hours=40)).path

    async with AsyncTestClient(app=create_app(boot)):
        archives = await eventually(
            lambda: [a for a in list_archives(boot.backup_dir, "scheduled") if a.created > now - timedelta(minutes=1)],
            timeout=20,
        )

    remaining = [a.path for a in list_archives(boot.backup_dir, "scheduled")]
    assert remaining == [stale[2], archives[0].path]
    assert not stale[0].exists() and not stale[1].exists()
    assert manual.exists()
    assert json.loads(members(archives[0].path)["manifest.json"])["kind"] == "scheduled"


async def test_backup_scheduler_waits_for_the_interval_after_the_newest_archive(
    scheduled_env: dict[str, str], boot: BootSettings
) -> None:
    recent = create_backup(boot, kind="scheduled", now=datetime.now(UTC) - timedelta(hours=1)).path
    async with AsyncTestClient(app=create_app(boot)) as client:
        assert (await client.get("/api/health")).status_code == 200
        await asyncio.sleep(3)  # past the scheduler's start-up grace: nothing is due for another 5 hours
    assert [a.path for a in list_archives(boot.backup_dir, "scheduled")] == [recent]


class OrderPlacer:
    """Guests placing orders through the real API from several threads; every 201 is recorded with its time."""

    def __init__(self, base_url: str, body: dict, threads: int = 3) -> None:
        self.base_url = base_url
        self.body = body
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acked: list[tuple[float, str, str]] = []  # (monotonic time of the 201, id, order number)
        self.errors: list[str] = []
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=30) as client:
            while not self.stop.is_set():
                response = client.post("/api/orders", json=self.body)
                if response.status_code != 201:
                    with self.lock:
                        self.errors.append(f"{response.status_code} {response.text[:200]}")
                    return
                data = response.json()["data"]
                with self.lock:
                    self.acked.append((time.monotonic(), data["id"], data["orderNumber"]))

    def acked_before(self, moment: float) -> set[str]:
        with self.lock:
            return {order_id for at, order_id, _ in self.acked if at < moment}

    def count(self) -> int:
        with self.lock:
            return len(self.acked)

    def __enter__(self) -> OrderPlacer:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


async def test_backup_taken_while_orders_are_placed_restores_every_acknowledged_order(
    boot: BootSettings, tmp_path: Path
) -> None:
    setup = build_services(boot)
    menu = await make_menu(setup)
    await setup.db.dispose()
    body = guest_order(menu, items=[{"menuItemId": menu.fries, "quantity": 2}])
    app: Litestar = create_app(boot)
    backups = tmp_path / "backups"

    with serve(app) as server, OrderPlacer(server.base_url, body) as placer:
        await eventually(lambda: placer.count() >= 30 or placer.errors, timeout=60)
        assert placer.errors == []
        began = time.monotonic()
        backup = runner.invoke(cli, ["backup", str(backups), "--data-dir", str(boot.data_dir)])
        ended = time.monotonic()
        assert backup.exit_code == 0, backup.output
        acked_before = placer.acked_before(began)
        count_at_end = placer.count()
        await eventually(lambda: placer.count() > count_at_end + 5 or placer.errors, timeout=30)
    assert placer.errors == []
    after = placer.acked_before(time.monotonic()) - placer.acked_before(ended)
    assert len(acked_before) >= 30 and after, "orders were not being placed on both sides of the backup"

    (archive,) = backups.glob("*.tar.gz")
    restored_dir = tmp_path / "restored"
    result = runner.invoke(cli, ["restore", str(archive), "--data-dir", str(restored_dir)])
    assert result.exit_code == 0, result.output

    conn = sqlite3.connect(restored_dir / "kitchenasty.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        restored = {row[0] for row in conn.execute("SELECT id FROM orders")}
        items = dict(conn.execute("SELECT order_id, SUM(quantity) FROM order_items GROUP BY order_id").fetchall())
    finally:
        conn.close()
    all_acked = placer.acked_before(time.monotonic())
    assert acked_before <= restored
    assert restored <= all_acked  # nothing half-written or invented
    assert all(items.get(order_id) == 2 for order_id in restored)  # every order came with its items
