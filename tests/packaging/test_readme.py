"""The README's quick start stays true: CI runs its test command verbatim, and the two commands cannot trip over
each other (testing in the environment a server runs from made every page answer 500 until a restart)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def quick_start_commands() -> tuple[str, str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", section, re.DOTALL)
    assert len(blocks) == 2, blocks
    return blocks[0].strip(), blocks[1].strip()


def venv_of(command: str) -> str:
    match = re.match(r"python3 -m venv (\S+) && \. \1/bin/activate && ", command)
    assert match, command
    return match.group(1)


def test_run_and_test_use_separate_environments() -> None:
    run, test = quick_start_commands()
    assert venv_of(run) != venv_of(test)
    assert "pip install . " in run + " " and "-e" not in run.split("&&")[2]
    assert "pip install -e '.[test]'" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    _, test = quick_start_commands()
    assert test in CI


def test_apt_packages_are_installed_after_an_update() -> None:
    assert "apt-get update && sudo apt-get install -y chromium redis-server" in README
    update, install = CI.index("apt-get update"), CI.index("apt-get install")
    assert update < install


def test_ci_type_checks_and_lints_the_package() -> None:
    lines = [line.strip() for line in CI.splitlines()]
    assert "mypy" in lines
    assert any(line.startswith("ruff check kitchenasty") for line in lines)
