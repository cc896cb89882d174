"""`kitchenasty serve`: check the data dir and database, print the URLs, run the app on uvicorn."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import signal
import socket
from typing import Annotated, Any

import typer

from kitchenasty.cli.console import ConfigOption, DataDirOption, boot_settings, fail, handle_errors, out
from kitchenasty.core import datadir
from kitchenasty.core import migrate as migrations
from kitchenasty.core.backup import DataDirLock
from kitchenasty.core.config import BootSettings
from kitchenasty.core.logging import configure_logging, get_logger, register_secret


def check_database(boot: BootSettings, *, allow_migrate: bool) -> None:
    current = migrations.current_revision(boot.database_url)
    head = migrations.head_revision()
    if current == head:
        return
    if not migrations.is_known(current):
        fail(f"the database is at revision {current}, newer than this program ({head}); upgrade KitchenAsty")
    if not allow_migrate:
        fail(
            f"the database is at revision {current or 'none'} but this program needs {head}; "
            "run `kitchenasty migrate` (or `kitchenasty serve --migrate`)"
        )
    migrations.upgrade(boot.database_url)
    out.print(f"database upgraded: revision {current or 'none'} -> {head}")


def print_urls(boot: BootSettings) -> None:
    base = boot.base_url
    out.print(f"[bold]KitchenAsty[/] listening on {boot.host}:{boot.port}")
    out.print(f"  storefront       {base}/")
    out.print(f"  kitchen display  {base}/kitchen")
    out.print(f"  API docs         {base}/api/docs")


M_MMAP_THRESHOLD = -3  # glibc's mallopt() parameter number


def return_large_allocations_to_the_system() -> None:
    """Make glibc serve blocks of 1 MiB or more with mmap, always, so that freeing them gives the memory back.

    glibc otherwise raises its mmap threshold after the first large free: each staff login's argon2 hash
    (19 MiB, transient) then stayed in the server's RSS for good. Not glibc (musl, macOS): nothing to do.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 1 << 20)
    except (OSError, AttributeError):
        return


UVICORN_SETTINGS: dict[str, Any] = {
    "log_config": None,  # our own logging setup
    "access_log": False,
    "ws": "websockets-sansio",
    "ws_per_message_deflate": False,  # compression halved fan-out throughput
    "server_header": False,
    "lifespan": "on",
    "timeout_graceful_shutdown": 10,
    "proxy_headers": False,  # uvicorn's default believes X-Forwarded-For from 127.0.0.1: see `proxy_settings`
}
"""How `serve` runs uvicorn (the benchmarks' bare baseline is served with the same settings)."""


def listening_socket(boot: BootSettings) -> socket.socket:
    """The server's socket, bound before anything is printed: a port in use is one clear line, not a banner
    followed by a uvicorn log line."""
    family = socket.AF_INET6 if ":" in boot.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((boot.host, boot.port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            fail(f"port {boot.port} on {boot.host} is already in use by another program; choose another with --port")
        if exc.errno == errno.EACCES:
            fail(f"not allowed to listen on port {boot.port} (ports below 1024 need privileges); choose another")
        fail(f"cannot listen on {boot.host}:{boot.port}: {exc.strerror or exc}")
    sock.set_inheritable(True)
    return sock


def proxy_settings(boot: BootSettings) -> dict[str, Any]:
    """uvicorn's forwarded-header handling for `trusted_proxies`: X-Forwarded-For/-Proto are believed only from
    the proxies listed there; with none (the default) the peer address is the client, whatever the headers say."""
    proxies = boot.trusted_proxy_list
    if not proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": proxies}


def serve_app(boot: BootSettings) -> None:
    """Build the app (a bad setting fails here, before the banner), bind the port, print the URLs, serve."""
    import uvicorn

    return_large_allocations_to_the_system()
    from kitchenasty.app import create_app

    configure_logging(boot.log_level, boot.log_format)
    for secret in (boot.secret_key,):
        register_secret(secret)
    app = create_app(boot)
    options = {**UVICORN_SETTINGS, **proxy_settings(boot)}  # a bad `trusted_proxies` fails here, before binding
    sock = listening_socket(boot)
    config = uvicorn.Config(app, host=boot.host, port=boot.port, **options)
    log = get_logger("kitchenasty.serve")
    print_urls(boot)
    log.info("starting", host=boot.host, port=boot.port, data_dir=str(boot.data_dir))

    def stopped_by_sigterm(signum: int, frame: object) -> None:
        # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal into the previous handler: a
        # service manager asked us to stop and we did, so that is a clean exit (0), not a crash (-15).
        log.info("stopped", signal="SIGTERM")
        raise SystemExit(0)

    previous = signal.signal(signal.SIGTERM, stopped_by_sigterm)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()


def hold_data_dir(lock: DataDirLock) -> None:
    """One server per data dir, and `restore` refuses while it runs (the kernel drops the lock at exit)."""
    if not lock.acquire():
        pid = lock.holder_pid()
        fail(f"{lock.path.parent} is in use by another KitchenAsty process{f' (pid {pid})' if pid else ''}")


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def serve(
        data_dir: DataDirOption = None,
        config: ConfigOption = None,
        host: Annotated[str | None, typer.Option(help="Bind address (default from config, else 0.0.0.0).")] = None,
        port: Annotated[int | None, typer.Option(help="Port (default from config, else 8000).")] = None,
        migrate: Annotated[bool, typer.Option("--migrate", help="Upgrade the database first if needed.")] = False,
    ) -> None:
        """Run the storefront, kitchen display and API."""
        from kitchenasty.cli.init import prepare_data_dir

        boot = boot_settings(data_dir, config, host=host, port=port)
        lock = DataDirLock(boot.data_dir)
        if boot.data_dir.is_dir():
            hold_data_dir(lock)
        if not datadir.is_initialised(boot):
            boot = prepare_data_dir(boot)
            boot = boot_settings(boot.data_dir, config, host=host, port=port)
            out.print(f"initialised a new data dir at {boot.data_dir}")
            out.print(
                "create the first admin with: [bold]kitchenasty create-admin --email you@example.com[/]"
                + (f" --data-dir {boot.data_dir}" if data_dir else "")
            )
        else:
            check_database(boot, allow_migrate=migrate)
        hold_data_dir(lock)
        try:
            serve_app(boot)
        finally:
            lock.release()
