"""`kitchenasty serve` as a real process answering over a real socket."""

from __future__ import annotations

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port

CLI = [sys.executable, "-m", "kitchenasty"]


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KITCHENASTY_", "SMTP_"))}
    env["KITCHENASTY_LOG_FORMAT"] = "keyvalue"
    return env


@contextmanager
def serving(data_dir: Path, *extra: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "serve", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean_env(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise AssertionError(
                    f"serve exited early ({proc.returncode}): {proc.stdout.read() if proc.stdout else ''}"
                )
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("serve did not answer /api/health within 30 s")
            time.sleep(0.1)
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout:
            proc.stdout.close()


@pytest.mark.slow
def test_serve_answers_health_and_the_first_admin_logs_in(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    init = subprocess.run(
        [
            *CLI,
            "init",
            "--data-dir",
            str(data_dir),
            "--admin-email",
            "owner@example.com",
            "--admin-password",
            "owner-password-1",
        ],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )
    assert init.returncode == 0, init.stderr
    with serving(data_dir) as (proc, base):
        health = httpx.get(f"{base}/api/health").json()
        assert health["success"] is True
        assert health["data"]["status"] == "ok"
        login = httpx.post(
            f"{base}/api/auth/staff/login", json={"email": "owner@example.com", "password": "owner-password-1"}
        )
        assert login.status_code == 200
        assert login.json()["data"]["user"]["role"] == "SUPER_ADMIN"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        output = proc.stdout.read() if proc.stdout else ""
    assert f"{base}/kitchen" in output
    assert "owner-password-1" not in output
    assert (data_dir / "secret_key").read_text().strip() not in output


@pytest.mark.slow
def test_serve_on_a_new_data_dir_initialises_it_and_says_how_to_add_the_admin(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"
    with serving(data_dir) as (proc, base):
        assert httpx.get(f"{base}/api/health").status_code == 200
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
        output = proc.stdout.read() if proc.stdout else ""
    assert "initialised a new data dir" in output
    assert "kitchenasty create-admin" in output
    assert (data_dir / "secret_key").exists()


@pytest.mark.slow
def test_serve_refuses_a_database_behind_head_unless_told_to_migrate(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "secret_key").write_text(secrets.token_urlsafe(48))
    sqlite3.connect(data_dir / "kitchenasty.db").close()
    port = str(free_port())
    refused = subprocess.run(
        [*CLI, "serve", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", port],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert refused.returncode == 1
    assert "kitchenasty migrate" in refused.stderr
    assert "Traceback" not in refused.stderr + refused.stdout
    with serving(data_dir, "--migrate") as (_proc, base):
        assert httpx.get(f"{base}/api/health").status_code == 200
