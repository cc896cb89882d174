"""Absolute paths of everything the package ships, so it works from a wheel and from the PyInstaller bundle."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PACKAGE_DIR / "web" / "templates"
STATIC_DIR = PACKAGE_DIR / "web" / "static"
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"

DEFAULT_DATA_DIR = Path("kitchenasty-data")
CONFIG_FILE_NAME = "kitchenasty.toml"
SECRET_FILE_NAME = "secret_key"  # noqa: S105 - a file name, not a secret
DATABASE_FILE_NAME = "kitchenasty.db"
