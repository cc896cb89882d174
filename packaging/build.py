"""Build the single-file `kitchenasty` executable for this platform: `python packaging/build.py`.

Runs PyInstaller on packaging/kitchenasty.spec, then checks the result answers `--version` and prints its size.
Needs the `build` extra (`pip install -e ".[build]"`); with binutils' `strip` installed the file is about 40% smaller.
Options: --dist DIR (default ./dist), --work DIR (default ./build), --clean (drop PyInstaller's cache first).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "kitchenasty.spec"
NAME = "kitchenasty"


def build(dist: Path, work: Path, *, clean: bool = False) -> Path:
    """Build into `dist`/kitchenasty (PyInstaller's intermediate files go to `work`) and return the path."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    if clean:
        command.insert(3, "--clean")
    subprocess.run(command, cwd=ROOT, check=True)  # noqa: S603 - our own interpreter and spec
    binary = dist / NAME
    if not binary.is_file():
        raise SystemExit(f"error: PyInstaller finished but {binary} is missing")
    return binary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the single-file kitchenasty executable.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output directory (default ./dist)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller work directory")
    parser.add_argument("--clean", action="store_true", help="clear PyInstaller's cache before building")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        binary = build(args.dist.resolve(), args.work.resolve(), clean=args.clean)
    except subprocess.CalledProcessError as exc:
        print(f"error: PyInstaller failed (exit {exc.returncode})", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    version = subprocess.run(  # noqa: S603 - the binary we just built
        [str(binary), "--version"], capture_output=True, text=True, timeout=120, check=False
    )
    if version.returncode != 0:
        print(f"error: {binary} --version failed: {version.stderr.strip()}", file=sys.stderr)
        return 1
    size_mb = binary.stat().st_size / (1024 * 1024)
    print(f"built {binary} ({size_mb:.1f} MiB) in {elapsed:.0f} s: {version.stdout.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
