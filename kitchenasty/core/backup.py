"""Backups of the SQLite data dir, and the lock that tells them (and restores, `core.restore`) whether a server
is running.

A backup is one `.tar.gz` archive holding a consistent copy of the live database (SQLite's online backup API,
from a separate read-only connection: one read transaction, so writers are never blocked and every transaction
committed before the copy began is in it), the secret key and the config file, and `manifest.json` (program
version, migration revision, time, size and SHA-256 of the database copy). Archives are written with mode 0600
(they hold the secret key) and named `kitchenasty-<kind>-<UTC time>.tar.gz`; `kind` is `backup` for the
owner's own and `scheduled` for the server's, so rotating one never deletes the other.

PostgreSQL databases are not copied here: `pg_dump` does that job better.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from kitchenasty import __version__
from kitchenasty.core import paths
from kitchenasty.core.config import BootSettings
from kitchenasty.core.logging import get_logger

ARCHIVE_FORMAT = 1
MANIFEST_MEMBER = "manifest.json"
DATABASE_MEMBER = "database.sqlite3"
SECRET_MEMBER = "secret_key"  # noqa: S105 - a member name, not a secret
CONFIG_MEMBER = "kitchenasty.toml"
MEMBERS = (MANIFEST_MEMBER, DATABASE_MEMBER, SECRET_MEMBER, CONFIG_MEMBER)
LOCK_FILE_NAME = "serve.lock"
SQLITE_BUSY_TIMEOUT_MS = 10_000

Kind = Literal["backup", "scheduled"]
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
_ARCHIVE_NAME = re.compile(r"^kitchenasty-(?P<kind>[a-z]+)-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?\.tar\.gz$")
_PG_REFUSAL = (
    "the database is PostgreSQL: back it up with pg_dump (e.g. `pg_dump -Fc -f kitchenasty.dump <database>`) "
    "and restore with pg_restore; `kitchenasty backup`/`restore` copy SQLite databases only"
)


class BackupError(Exception):
    """A backup or restore refusal an owner can act on; rendered as one line by the CLI."""


# ---------------------------------------------------------------- the data dir lock


class DataDirLock:
    """An exclusive `flock` on `<data dir>/serve.lock`, held by `serve` for its whole life and by `restore`.

    The kernel drops the lock when the holder exits, even on a crash, so a stale lock never blocks anyone.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE_NAME
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another process holds it."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def holder_pid(self) -> int | None:
        """The pid written by the process that holds (or last held) the lock."""
        try:
            text = self.path.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

    def __enter__(self) -> DataDirLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def server_pid(data_dir: Path) -> int | None:
    """The pid of the process holding `data_dir`'s lock (0 if it did not say), or None when nobody holds it."""
    lock = DataDirLock(data_dir)
    if not lock.path.exists():
        return None
    fd = os.open(lock.path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return lock.holder_pid() or 0
    finally:
        os.close(fd)
    return None


# ---------------------------------------------------------------- manifest


@dataclass(frozen=True)
class Manifest:
    kind: str
    version: str
    revision: str | None
    created_at: str
    database_bytes: int
    database_sha256: str
    has_secret: bool
    has_config: bool
    format: int = ARCHIVE_FORMAT

    def to_json(self) -> bytes:
        doc = {
            "format": self.format,
            "program": "kitchenasty",
            "kind": self.kind,
            "version": self.version,
            "revision": self.revision,
            "createdAt": self.created_at,
            "database": {"member": DATABASE_MEMBER, "bytes": self.database_bytes, "sha256": self.database_sha256},
            "secretKey": self.has_secret,
            "config": self.has_config,
        }
        return (json.dumps(doc, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            doc = json.loads(raw)
            if doc.get("program") != "kitchenasty":
                raise ValueError("not a KitchenAsty manifest")
            if doc.get("format") != ARCHIVE_FORMAT:
                raise BackupError(
                    f"the archive has format {doc.get('format')}, this program reads format {ARCHIVE_FORMAT}"
                )
            database = doc["database"]
            return cls(
                format=doc["format"],
                kind=str(doc["kind"]),
                version=str(doc["version"]),
                revision=doc["revision"],
                created_at=str(doc["createdAt"]),
                database_bytes=int(database["bytes"]),
                database_sha256=str(database["sha256"]),
                has_secret=bool(doc["secretKey"]),
                has_config=bool(doc["config"]),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"the archive's manifest is unreadable ({exc})") from None


# ---------------------------------------------------------------- SQLite helpers


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _connect_readonly(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    return conn


def integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """`PRAGMA integrity_check` (or `quick_check`): an empty list when the database is sound."""
    try:
        conn = _connect_readonly(path)
        try:
            rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def sqlite_revision(path: Path) -> str | None:
    """The Alembic revision stored in a SQLite file (None for a database never migrated)."""
    conn = _connect_readonly(path)
    try:
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None
    finally:
        conn.close()


def snapshot_sqlite(source: Path, target: Path) -> None:
    """Copy a live database consistently (one read transaction) into `target`, as a single rollback-journal file."""
    src = _connect_readonly(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # pages=-1: the whole database in one step, i.e. one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


# ---------------------------------------------------------------- archives on disk


@dataclass(frozen=True)
class ArchiveName:
    path: Path
    kind: str
    created: datetime
    n: int

    @property
    def sort_key(self) -> tuple[datetime, int]:
        return self.created, self.n


def parse_archive_name(path: Path) -> ArchiveName | None:
    match = _ARCHIVE_NAME.match(path.name)
    if not match:
        return None
    try:
        created = datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:  # looks like ours but is not a real time: not one of ours
        return None
    return ArchiveName(path, match["kind"], created, int(match["n"] or 0))


def list_archives(directory: Path, kind: str) -> list[ArchiveName]:
    """This kind's archives in `directory`, oldest first."""
    if not directory.is_dir():
        return []
    found = [parse_archive_name(p) for p in directory.iterdir() if p.is_file()]
    return sorted((a for a in found if a is not None and a.kind == kind), key=lambda a: a.sort_key)


def rotate(directory: Path, kind: str, keep: int) -> list[Path]:
    """Delete this kind's oldest archives so that `keep` remain; return what was deleted."""
    if keep < 1:
        raise BackupError("--keep must be at least 1")
    archives = list_archives(directory, kind)
    removed = [a.path for a in archives[: max(0, len(archives) - keep)]]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _new_archive_path(directory: Path, kind: str, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime(STAMP_FORMAT)
    path = directory / f"kitchenasty-{kind}-{stamp}.tar.gz"
    n = 1
    while path.exists():
        path = directory / f"kitchenasty-{kind}-{stamp}-{n}.tar.gz"
        n += 1
    return path


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(mtime)
    tar.addfile(info, io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, path: Path, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = path.stat().st_size, 0o600, int(mtime)
    with path.open("rb") as fh:
        tar.addfile(info, fh)


# ---------------------------------------------------------------- backup


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    removed: list[Path] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def config_file(boot: BootSettings) -> Path:
    return boot.config_path or boot.data_dir / paths.CONFIG_FILE_NAME


def sqlite_file(boot: BootSettings) -> Path:
    if not boot.is_sqlite or boot.sqlite_path is None:
        raise BackupError(_PG_REFUSAL)
    return boot.sqlite_path


def create_backup(
    boot: BootSettings,
    destination: Path | None = None,
    *,
    keep: int | None = None,
    kind: Kind = "backup",
    now: datetime | None = None,
) -> BackupResult:
    """Write one archive into `destination` (a directory, default the backup dir, or a `.tar.gz` path)."""
    db_path = sqlite_file(boot)
    if not db_path.exists():
        raise BackupError(f"no database at {db_path}; nothing to back up")
    if keep is not None and keep < 1:
        raise BackupError("--keep must be at least 1")
    now = now or datetime.now(UTC)
    target = (destination or boot.backup_dir).expanduser().resolve()
    if target.name.endswith(".tar.gz"):
        directory, final = target.parent, target
        if final.exists():
            raise BackupError(f"{final} already exists; choose another name or a directory")
    else:
        directory, final = target, None
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    work = Path(tempfile.mkdtemp(prefix=".kitchenasty-backup-", dir=directory))
    try:
        copy = work / DATABASE_MEMBER
        snapshot_sqlite(db_path, copy)
        problems = integrity_problems(copy)
        if problems:
            raise BackupError(
                f"the database fails its integrity check ({problems[0]}); no backup written - run `kitchenasty doctor`"
            )
        secret = boot.secret_file if boot.secret_file.is_file() else None
        config = config_file(boot) if config_file(boot).is_file() else None
        manifest = Manifest(
            kind=kind,
            version=__version__,
            revision=sqlite_revision(copy),
            created_at=now.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            database_bytes=copy.stat().st_size,
            database_sha256=sha256_file(copy),
            has_secret=secret is not None,
            has_config=config is not None,
        )
        partial = work / "archive.tar.gz"
        mtime = now.timestamp()
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                _add_bytes(tar, MANIFEST_MEMBER, manifest.to_json(), mtime)
                _add_file(tar, DATABASE_MEMBER, copy, mtime)
                if secret is not None:
                    _add_file(tar, SECRET_MEMBER, secret, mtime)
                if config is not None:
                    _add_file(tar, CONFIG_MEMBER, config, mtime)
            raw.flush()
            os.fsync(raw.fileno())
        final = final or _new_archive_path(directory, kind, now)
        partial.replace(final)
        fsync_dir(directory)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    removed = rotate(directory, kind, keep) if keep is not None else []
    return BackupResult(final, manifest, removed)


# ---------------------------------------------------------------- scheduled backups


class BackupScheduler:
    """While the server runs: a backup every `backup_schedule_hours`, keeping `backup_keep` scheduled archives.

    The next one is due an interval after the newest scheduled archive on disk (right away when there is none),
    so a server that restarts often still backs up on time.
    """

    def __init__(self, boot: BootSettings, *, startup_grace_seconds: float = 2.0) -> None:
        self.boot = boot
        self.interval = timedelta(hours=boot.backup_schedule_hours)
        self.grace = startup_grace_seconds
        self.log = get_logger("kitchenasty.backup")
        self._task: asyncio.Task[None] | None = None

    @property
    def enabled(self) -> bool:
        return self.boot.backup_schedule_hours > 0

    def seconds_until_due(self, now: datetime | None = None) -> float:
        now = now or datetime.now(UTC)
        archives = list_archives(self.boot.backup_dir, "scheduled")
        if not archives:
            return 0.0
        return max(0.0, (archives[-1].created + self.interval - now).total_seconds())

    def run_once(self) -> BackupResult:
        return create_backup(self.boot, kind="scheduled", keep=self.boot.backup_keep)

    async def _loop(self) -> None:
        await asyncio.sleep(self.grace)
        while True:
            await asyncio.sleep(self.seconds_until_due())
            started = time.monotonic()
            try:
                result = await asyncio.to_thread(self.run_once)
            except (BackupError, OSError, sqlite3.Error) as exc:
                self.log.error("backup.failed", error=str(exc))
                await asyncio.sleep(min(self.interval.total_seconds(), 600))
                continue
            self.log.info(
                "backup.created",
                path=str(result.path),
                bytes=result.size,
                seconds=round(time.monotonic() - started, 3),
                removed=len(result.removed),
            )

    def start(self) -> None:
        if not self.enabled or self._task is not None:
            return
        if not self.boot.is_sqlite:
            self.log.warning("backup.schedule_ignored", reason="PostgreSQL: use pg_dump")
            return
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="kitchenasty-backups")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
