"""Restoring a backup archive (`kitchenasty restore`): verify everything first, then put it back.

A restore verifies the archive completely (members, manifest, checksum, `PRAGMA integrity_check`, a migration
revision this program knows) before it touches anything, refuses while a server holds the data dir lock, keeps
the previous database aside as `kitchenasty.db.before-restore-<time>`, and migrates an older database to head.
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kitchenasty import __version__
from kitchenasty.core import migrate
from kitchenasty.core.backup import (
    CONFIG_MEMBER,
    DATABASE_MEMBER,
    MANIFEST_MEMBER,
    MEMBERS,
    SECRET_MEMBER,
    STAMP_FORMAT,
    BackupError,
    DataDirLock,
    Manifest,
    config_file,
    fsync_dir,
    integrity_problems,
    sha256_file,
    sqlite_file,
    sqlite_revision,
)
from kitchenasty.core.config import BootSettings, ConfigError, read_toml

# ---------------------------------------------------------------- verify


@dataclass
class VerifiedArchive:
    manifest: Manifest
    database: Path
    secret: str | None
    config: str | None
    needs_migration: bool


def _member_bytes(tar: tarfile.TarFile, info: tarfile.TarInfo, limit: int) -> bytes:
    if info.size > limit:
        raise BackupError(f"the archive's {info.name} is too large for what it should hold")
    fh = tar.extractfile(info)
    if fh is None:
        raise BackupError(f"the archive's {info.name} is not a regular file")
    return fh.read()


def verify_archive(archive: Path, workdir: Path) -> VerifiedArchive:
    """Unpack `archive` into `workdir` and check everything; raise BackupError naming the first problem."""
    if not archive.is_file():
        raise BackupError(f"no archive at {archive}")
    seen: dict[str, tarfile.TarInfo] = {}
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for info in tar:
                if info.name not in MEMBERS or not info.isfile() or info.name in seen:
                    raise BackupError(f"{archive.name} is not a KitchenAsty backup (unexpected member {info.name!r})")
                seen[info.name] = info
                if info.name == DATABASE_MEMBER:
                    fh = tar.extractfile(info)
                    assert fh is not None  # isfile() above
                    with (workdir / DATABASE_MEMBER).open("wb") as out:
                        shutil.copyfileobj(fh, out)
                else:
                    (workdir / info.name).write_bytes(_member_bytes(tar, info, 4 << 20))
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"{archive.name} is not a readable backup archive ({exc})") from None
    if MANIFEST_MEMBER not in seen or DATABASE_MEMBER not in seen:
        raise BackupError(f"{archive.name} is not a KitchenAsty backup (no manifest or no database)")
    manifest = Manifest.from_json((workdir / MANIFEST_MEMBER).read_bytes())
    database = workdir / DATABASE_MEMBER
    if sha256_file(database) != manifest.database_sha256:
        raise BackupError(f"{archive.name} is damaged: the database does not match its SHA-256 in the manifest")
    problems = integrity_problems(database)
    if problems:
        raise BackupError(f"{archive.name}: the database fails its integrity check ({problems[0]})")
    revision = sqlite_revision(database)
    if revision != manifest.revision:
        raise BackupError(
            f"{archive.name} is inconsistent: the database is at revision {revision}, the manifest says "
            f"{manifest.revision}"
        )
    if not migrate.is_known(revision):
        raise BackupError(
            f"{archive.name} comes from a newer KitchenAsty ({manifest.version}, database revision {revision}); "
            f"this program is {__version__} - upgrade it, then restore"
        )
    secret = config = None
    if SECRET_MEMBER in seen:
        secret = (workdir / SECRET_MEMBER).read_text(encoding="utf-8")
        if len(secret.strip()) < 32:
            raise BackupError(f"{archive.name}: the secret key in it is too short to be one")
    if CONFIG_MEMBER in seen:
        try:
            read_toml(workdir / CONFIG_MEMBER)
        except ConfigError as exc:
            raise BackupError(f"{archive.name}: its config file does not parse ({exc})") from None
        config = (workdir / CONFIG_MEMBER).read_text(encoding="utf-8")
    return VerifiedArchive(manifest, database, secret, config, revision != migrate.head_revision())


# ---------------------------------------------------------------- restore


@dataclass
class RestoreReport:
    manifest: Manifest
    database: Path
    previous: list[Path] = field(default_factory=list)
    migrated_from: str | None = None
    migrated_to: str | None = None
    not_migrated: bool = False
    secret: str = ""
    config: str = ""


def _aside(path: Path, stamp: str) -> Path:
    return path.with_name(f"{path.name}.before-restore-{stamp}")


def _write_private(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    Path(tmp).chmod(0o600)
    Path(tmp).replace(path)


def _restore_file(
    path: Path, text: str | None, *, with_secrets: bool, stamp: str, what: str, report: RestoreReport
) -> str:
    if text is None:
        return f"{what}: not in the archive; left as it is"
    if path.exists():
        if path.read_text(encoding="utf-8") == text:
            return f"{what}: {path} already matches the archive"
        if not with_secrets:
            return f"{what}: kept the existing {path} (it differs from the archive's; --with-secrets restores it)"
        aside = _aside(path, stamp)
        path.replace(aside)
        report.previous.append(aside)
        _write_private(path, text)
        return f"{what}: restored to {path} (previous one kept as {aside.name})"
    _write_private(path, text)
    return f"{what}: restored to {path} (mode 0600)"


def restore_backup(
    boot: BootSettings, archive: Path, *, with_secrets: bool = False, run_migrations: bool = True
) -> RestoreReport:
    """Verify `archive`, then put its database (and missing secret/config) in place; the data dir lock is held."""
    db_path = sqlite_file(boot)
    archive = archive.expanduser().resolve()
    boot.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock = DataDirLock(boot.data_dir)
    if not lock.acquire():
        pid = lock.holder_pid()
        raise BackupError(
            f"a KitchenAsty server{f' (pid {pid})' if pid else ''} is using {boot.data_dir}; "
            "stop it first (e.g. `systemctl stop kitchenasty`), then restore"
        )
    with lock:
        work = Path(tempfile.mkdtemp(prefix=".kitchenasty-restore-", dir=db_path.parent))
        try:
            verified = verify_archive(archive, work)
            stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
            report = RestoreReport(verified.manifest, db_path)
            for suffix in ("", "-wal", "-shm", "-journal"):
                current = db_path.with_name(db_path.name + suffix)
                if current.exists():
                    aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}{suffix}")
                    current.replace(aside)
                    report.previous.append(aside)
            verified.database.chmod(0o600)
            verified.database.replace(db_path)
            fsync_dir(db_path.parent)
            report.secret = _restore_file(
                boot.secret_file,
                verified.secret,
                with_secrets=with_secrets,
                stamp=stamp,
                what="secret key",
                report=report,
            )
            report.config = _restore_file(
                config_file(boot), verified.config, with_secrets=with_secrets, stamp=stamp, what="config", report=report
            )
            if verified.needs_migration:
                if run_migrations:
                    report.migrated_from, report.migrated_to = verified.manifest.revision, migrate.head_revision()
                    migrate.upgrade(boot.database_url)
                else:
                    report.not_migrated = True
            return report
        finally:
            shutil.rmtree(work, ignore_errors=True)
