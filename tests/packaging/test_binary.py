"""The single-file binary: build it with packaging/build.py, then run the appliance from it in a temp dir.

Marked `binary` (a build takes minutes); `.ci/run` runs it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from websockets.sync.client import connect

from kitchenasty import __version__
from kitchenasty.core import migrate
from tests.servers import free_port

pytestmark = pytest.mark.binary

ROOT = Path(__file__).resolve().parents[2]
OWNER = ("owner@example.com", "owner-password-1")


@pytest.fixture(scope="module")
def binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("binary")
    build = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--dist",
            str(out / "dist"),
            "--work",
            str(out / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    path = out / "dist" / "kitchenasty"
    assert path.is_file() and os.access(path, os.X_OK)
    print(f"\n{build.stdout.strip().splitlines()[-1]}")  # "built ... (NN MiB) in NN s"
    return path


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KITCHENASTY_", "SMTP_", "PYTHON"))}
    env["PATH"] = "/usr/bin:/bin"  # nothing from the build's Python environment is reachable
    return env


def run(binary: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(binary), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_env(),
        cwd=binary.parent,
        check=False,
    )
    if ok:
        assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def wait_for_health(server: subprocess.Popen[str], base: str, timeout: float = 60) -> float:
    started = time.monotonic()
    while True:
        assert server.poll() is None, f"serve exited early ({server.returncode})"
        try:
            response = httpx.get(f"{base}/api/health", timeout=1)
            if response.status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        assert time.monotonic() - started < timeout, "the binary did not answer /api/health"
        time.sleep(0.05)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "box" / "data"


@pytest.fixture
def served(binary: Path, data_dir: Path) -> Iterator[tuple[subprocess.Popen[str], str, float]]:
    """`kitchenasty init --demo`, then `kitchenasty serve`; yields (process, base URL, seconds to health)."""
    run(binary, "init", "--data-dir", str(data_dir), "--admin-email", OWNER[0], "--admin-password", OWNER[1], "--demo")
    port = free_port()
    started = time.monotonic()
    server = subprocess.Popen(
        [str(binary), "serve", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean_env(),
        cwd=data_dir.parent,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(server, base)
        yield server, base, time.monotonic() - started
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
        if server.stdout is not None:
            server.stdout.close()


def assets_of(page: str, base: str, client: httpx.Client) -> list[str]:
    """The stylesheet and scripts a page loads, plus the modules those scripts import, as absolute URLs."""
    urls = re.findall(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="([^"]+)"', page)
    found = [urljoin(base + "/", u) for u in urls]
    for url in list(found):
        if url.split("?")[0].endswith(".js"):
            script = client.get(url).text
            found += [urljoin(url, m) for m in re.findall(r'(?:import|from)\s*["\'](\.{1,2}/[^"\']+)["\']', script)]
    return found


def test_binary_runs_the_appliance_end_to_end(
    binary: Path, data_dir: Path, served: tuple[subprocess.Popen[str], str, float], tmp_path: Path
) -> None:
    server, base, startup = served
    print(f"binary {binary.stat().st_size / (1 << 20):.1f} MiB; serve -> health in {startup:.2f} s")

    assert run(binary, "--version").stdout.strip() == f"kitchenasty {__version__}"
    assert "database is up to date" in run(binary, "migrate", "--check", "--data-dir", str(data_dir)).stdout
    exported = json.loads(run(binary, "settings", "export", "--format", "json", "--data-dir", str(data_dir)).stdout)
    assert exported  # the effective settings, as JSON
    invite = run(binary, "invite-staff", "cook@example.com", "--role", "STAFF", "--data-dir", str(data_dir)).stdout
    assert re.search(r"[0-9a-f]{64}", invite), invite

    with httpx.Client(base_url=base, timeout=10) as client:
        health = client.get("/api/health").json()["data"]
        assert health["status"] == "ok" and health["version"] == __version__ and health["database"] == "ok"

        login = client.post("/api/auth/staff/login", json={"email": OWNER[0], "password": OWNER[1]})
        assert login.status_code == 200, login.text
        token = login.json()["data"]["token"]
        assert login.json()["data"]["user"]["role"] == "SUPER_ADMIN"

        kitchen = client.get("/kitchen")
        assert kitchen.status_code == 200
        assert kitchen.headers["content-type"].startswith("text/html")
        assets = assets_of(kitchen.text, base, client)
        assert any(a.split("?")[0].endswith(".css") for a in assets) and any(".js" in a for a in assets)
        for asset in assets:
            assert client.get(asset).status_code == 200, asset

        for page in ("/", "/api/docs"):
            response = client.get(page)
            assert response.status_code == 200, page
            assert response.headers["content-type"].startswith("text/html")
        items = client.get("/api/menu/items", params={"limit": 100}).json()["data"]
        assert len(items) >= 20  # the demo menu, read through the bundled models

    with connect(f"{base.replace('http', 'ws')}/api/ws/kitchen?token={token}", open_timeout=10) as ws:
        first = json.loads(ws.recv(timeout=10))
    assert first["event"] == "snapshot"
    assert isinstance(first["data"], list)

    # Owner's operations while the server runs: backup works, doctor is happy, restore refuses.
    backups = tmp_path / "backups"
    assert "backup written" in run(binary, "backup", str(backups), "--data-dir", str(data_dir)).stdout
    (archive,) = backups.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["revision"] == migrate.head_revision()
    port = base.rsplit(":", 1)[1]
    doctor = run(binary, "doctor", "--data-dir", str(data_dir), "--host", "127.0.0.1", "--port", port)
    assert "all 9 checks passed" in doctor.stdout
    assert f"is served by this data dir's KitchenAsty {__version__}" in doctor.stdout
    refused = run(binary, "restore", str(archive), "--data-dir", str(data_dir), ok=False)
    assert refused.returncode == 1
    assert "stop it first" in refused.stderr and "Traceback" not in refused.stderr

    stop_sent = time.monotonic()
    server.send_signal(signal.SIGTERM)
    assert server.wait(15) == 0
    assert time.monotonic() - stop_sent < 10
    assert server.stdout is not None and "Traceback" not in server.stdout.read()

    restored = run(binary, "restore", str(archive), "--data-dir", str(data_dir))
    assert "restored the database" in restored.stdout
    conn = sqlite3.connect(data_dir / "kitchenasty.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT email FROM users").fetchall() == [(OWNER[0],)]
    finally:
        conn.close()
