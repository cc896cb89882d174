"""Shared pieces of the benchmarks: real server processes on 127.0.0.1, wrk as the load generator, seeding through
the public API, CPU and RSS readings from /proc. Nothing here imports the app: it is driven like a customer would."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
ADMIN_EMAIL = "bench@example.com"
ADMIN_PASSWORD = "bench-password-1"  # noqa: S105 - the throwaway admin of a benchmark data dir
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        sys.exit("wrk is required: apt-get install -y wrk")
    return path


@dataclass
class Server:
    """A server process plus the readings we take from it."""

    proc: subprocess.Popen[bytes]
    base_url: str
    port: int
    data_dir: Path | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def cpu_seconds(self) -> float:
        """User + system CPU of the process and its threads so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _wait_for(url: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def pinned(cmd: list[str], cpus: str | None) -> list[str]:
    """`cmd` run under `taskset -c cpus` (the process and every thread it starts), or as it is for None."""
    return ["taskset", "-c", cpus, *cmd] if cpus else cmd


def bench_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KITCHENASTY_", "SMTP_"))}
    env.update(
        {
            "KITCHENASTY_LOG_LEVEL": "warning",
            "KITCHENASTY_LOGIN_ATTEMPTS_PER_MINUTE": "10000",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


@contextmanager
def kitchenasty_server(data_dir: Path | None = None, cpus: str | None = None) -> Iterator[Server]:
    """`kitchenasty init` + `kitchenasty serve` on a fresh data dir, exactly as an owner runs them; `cpus` pins the
    server (`taskset -c`)."""
    tmp = Path(tempfile.mkdtemp(prefix="kitchenasty-bench-")) if data_dir is None else data_dir
    env = bench_env()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kitchenasty",
            "init",
            "--data-dir",
            str(tmp / "data"),
            "--admin-email",
            ADMIN_EMAIL,
            "--admin-password",
            ADMIN_PASSWORD,
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    proc = subprocess.Popen(
        pinned(
            [
                sys.executable,
                "-m",
                "kitchenasty",
                "serve",
                "--data-dir",
                str(tmp / "data"),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cpus,
        ),
        env=env,
        stdout=subprocess.DEVNULL,
    )
    with running_in(proc, port, "/api/health", tmp) as server:
        yield server


@contextmanager
def bare_server(cpus: str | None = None) -> Iterator[Server]:
    """The baseline: a bare Litestar JSON endpoint on the same server settings."""
    port = free_port()
    proc = subprocess.Popen(
        pinned([sys.executable, str(ROOT / "benchmarks" / "bare_app.py"), str(port)], cpus),
        env=bench_env(),
        stdout=subprocess.DEVNULL,
    )
    with _running(proc, port, "/json") as server:
        yield server


@contextmanager
def running_in(proc: subprocess.Popen[bytes], port: int, ready_path: str, tmp: Path) -> Iterator[Server]:
    """`_running` for a server whose data dir is `tmp`/data; `tmp` is removed on the way out."""
    try:
        with _running(proc, port, ready_path) as server:
            server.data_dir = tmp / "data"
            yield server
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def _running(proc: subprocess.Popen[bytes], port: int, ready_path: str) -> Iterator[Server]:
    """The started process as a `Server` once `ready_path` answers; stopped on the way out."""
    server = Server(proc, f"http://127.0.0.1:{port}", port)
    try:
        _wait_for(f"{server.base_url}{ready_path}", proc)
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------- wrk


@dataclass
class LoadResult:
    name: str
    connections: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_us_per_request: float = float("nan")
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


_LAT = re.compile(r"^\s*(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    url: str,
    *,
    connections: int,
    seconds: float,
    script: str | None = None,
    name: str = "",
    server: Server | None = None,
) -> LoadResult:
    """Run wrk against `url`; `script` is Lua source (request body, headers, per-request paths)."""
    threads = max(1, min(2, connections))
    cmd = [
        require_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    script_file = None
    if script:
        script_file = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
        script_file.write(script)
        script_file.close()
        cmd += ["-s", script_file.name]
    cpu_before = server.cpu_seconds() if server else 0.0
    done = subprocess.run([*cmd, url], capture_output=True, text=True, check=True)
    if done.stderr.strip():  # wrk reports a broken script on stderr and then runs a plain GET instead
        raise RuntimeError(f"wrk: {done.stderr.strip()[:300]}")
    out = done.stdout
    cpu_after = server.cpu_seconds() if server else 0.0
    if script_file:
        Path(script_file.name).unlink()
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    duration_match = re.search(r"requests in ([\d.]+)(ms|s|m)", out)
    assert duration_match
    seconds_taken = float(duration_match.group(1)) * {"ms": 0.001, "s": 1, "m": 60}[duration_match.group(2)]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = {m.group(1): float(m.group(2)) * _UNIT[m.group(3)] for m in _LAT.finditer(out)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    cpu_us = (cpu_after - cpu_before) / requests * 1e6 if server and requests else float("nan")
    refusals = [line[7:200] for line in out.splitlines() if line.startswith("NON2XX ")]
    return LoadResult(
        name=name,
        connections=connections,
        requests=requests,
        seconds=seconds_taken,
        rps=rps,
        p50_ms=lat.get("50", float("nan")),
        p99_ms=lat.get("99", float("nan")),
        errors=errors,
        cpu_us_per_request=cpu_us,
        extra={"non_2xx": refusals[:10]} if refusals else {},
    )


def lua_post(body: dict[str, Any], headers: dict[str, str] | None = None, method: str = "POST") -> str:
    lines = [
        f'wrk.method = "{method}"',
        f"wrk.body = {lua_string(json.dumps(body))}",
        'wrk.headers["Content-Type"] = "application/json"',
    ]
    for key, value in (headers or {}).items():
        lines.append(f"wrk.headers[{lua_string(key)}] = {lua_string(value)}")
    return "\n".join(lines) + "\n"


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- API client


class Api:
    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30)
        self.token = ""

    def login(self) -> str:
        response = self.client.post("/api/auth/staff/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        response.raise_for_status()
        self.token = response.json()["data"]["token"]
        self.client.headers["Authorization"] = f"Bearer {self.token}"
        return self.token

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json().get("data")

    def close(self) -> None:
        self.client.close()


@dataclass
class SeededMenu:
    location_id: str
    order_body: dict[str, Any]
    item_count: int


def seed_menu(api: Api, items: int = 200) -> SeededMenu:
    """One always-open location, 10 categories, `items` items with two option groups each."""
    location = api.call(
        "POST",
        "/api/locations",
        json={
            "name": "Bench Bistro",
            "slug": "bench-bistro",
            "address": "1 Load St",
            "city": "Benchville",
            "postalCode": "00001",
            "deliveryEnabled": True,
            "pickupEnabled": True,
        },
    )
    categories = [
        api.call("POST", "/api/menu/categories", json={"name": f"Category {n}", "slug": f"cat-{n}", "sortOrder": n})[
            "id"
        ]
        for n in range(10)
    ]
    created = []
    for n in range(items):
        item = api.call(
            "POST",
            "/api/menu/items",
            json={
                "name": f"Dish {n}",
                "slug": f"dish-{n}",
                "description": "A dish for the benchmark, with a description about as long as a real one.",
                "price": "9.50",
                "categoryId": categories[n % 10],
                "sortOrder": n,
                "options": [
                    {
                        "name": "Size",
                        "displayType": "RADIO",
                        "isRequired": True,
                        "minSelect": 1,
                        "maxSelect": 1,
                        "values": [
                            {"name": "Regular", "priceModifier": "0", "isDefault": True},
                            {"name": "Large", "priceModifier": "2.50"},
                        ],
                    },
                    {
                        "name": "Extras",
                        "displayType": "CHECKBOX",
                        "minSelect": 0,
                        "maxSelect": 2,
                        "values": [
                            {"name": "Cheese", "priceModifier": "1.00"},
                            {"name": "Bacon", "priceModifier": "1.50"},
                            {"name": "Olives", "priceModifier": "0.75"},
                        ],
                    },
                ],
            },
        )
        created.append(item)
    return SeededMenu(location_id=location["id"], order_body=order_body(location["id"], created), item_count=items)


def order_body(location_id: str, created: list[dict[str, Any]]) -> dict[str, Any]:
    """The benchmark's order: the first 3 items, 2 of each, Large and Cheese on each (guest checkout, pickup).
    `created` are items as the menu API returns them (`options[].values[].id`)."""
    lines = []
    for item in created[:3]:
        size, extras = item["options"]
        lines.append(
            {
                "menuItemId": item["id"],
                "quantity": 2,
                "options": [
                    {"menuOptionValueId": size["values"][1]["id"]},
                    {"menuOptionValueId": extras["values"][0]["id"]},
                ],
            }
        )
    return {
        "orderType": "PICKUP",
        "locationId": location_id,
        "guestName": "Load Tester",
        "guestEmail": "load@example.com",
        "guestPhone": "+15550100",
        "items": lines,
    }


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
