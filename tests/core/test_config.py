"""Settings resolution: DB -> TOML -> env -> default, each winning in its turn, with its source reported."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from kitchenasty.core.config import (
    BOOT_SETTINGS,
    SITE_SETTINGS,
    ConfigError,
    load_boot_settings,
    looks_masked,
    mask,
    render_example_config,
)
from tests.factories import staff_headers

REPO_ROOT = Path(__file__).resolve().parents[2]


def write_config(data_dir: Path, text: str) -> None:
    (data_dir / "kitchenasty.toml").write_text(text)


async def test_site_setting_source_default_then_env_then_toml_then_db(data_dir: Path, app_factory) -> None:  # type: ignore[no-untyped-def]
    async def smtp_host(extra_env: dict[str, str]) -> tuple[str, str]:
        app = app_factory(extra_env)
        async with AsyncTestClient(app=app) as client:
            headers = await staff_headers(app.state.services, "SUPER_ADMIN")
            body = (await client.get("/api/settings/mail", headers=headers)).json()
            return body["data"]["smtpHost"], body["sources"]["smtpHost"]

    assert await smtp_host({}) == ("", "default")
    assert await smtp_host({"SMTP_HOST": "env.example.com"}) == ("env.example.com", "env")
    assert await smtp_host({"KITCHENASTY_MAIL__SMTP_HOST": "kitchenasty-env.example.com"}) == (
        "kitchenasty-env.example.com",
        "env",
    )
    write_config(data_dir, '[settings.mail]\nsmtp_host = "toml.example.com"\n')
    assert await smtp_host({"SMTP_HOST": "env.example.com"}) == ("toml.example.com", "toml")

    app = app_factory({"SMTP_HOST": "env.example.com"})
    async with AsyncTestClient(app=app) as client:
        headers = await staff_headers(app.state.services, "SUPER_ADMIN")
        saved = await client.put("/api/settings/mail", headers=headers, json={"smtpHost": "db.example.com"})
        assert saved.status_code == 200
        assert saved.json()["data"]["smtpHost"] == "db.example.com"
        assert saved.json()["sources"]["smtpHost"] == "db"
        cleared = await client.put("/api/settings/mail", headers=headers, json={"smtpHost": None})
        assert (cleared.json()["data"]["smtpHost"], cleared.json()["sources"]["smtpHost"]) == (
            "toml.example.com",
            "toml",
        )


def test_boot_setting_toml_wins_over_env_and_cli_wins_over_both(data_dir: Path) -> None:
    assert load_boot_settings(data_dir, env={}).sources["port"] == "default"
    from_env = load_boot_settings(data_dir, env={"KITCHENASTY_PORT": "9001"})
    assert (from_env.port, from_env.sources["port"]) == (9001, "env")
    write_config(data_dir, "[server]\nport = 9002\n")
    from_toml = load_boot_settings(data_dir, env={"KITCHENASTY_PORT": "9001"})
    assert (from_toml.port, from_toml.sources["port"]) == (9002, "toml")
    from_cli = load_boot_settings(data_dir, env={"KITCHENASTY_PORT": "9001"}, overrides={"port": 9003})
    assert (from_cli.port, from_cli.sources["port"]) == (9003, "cli")


def test_boot_settings_refuse_unknown_keys_and_bad_values(data_dir: Path) -> None:
    write_config(data_dir, "[server]\nprot = 9002\n")
    with pytest.raises(ConfigError, match=r"unknown key 'server\.prot'"):
        load_boot_settings(data_dir, env={})
    write_config(data_dir, '[server]\nport = "eighty"\n')
    with pytest.raises(ConfigError, match="whole number"):
        load_boot_settings(data_dir, env={})
    write_config(data_dir, "[server\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_boot_settings(data_dir, env={})


def test_secret_key_comes_from_the_data_dir_file_and_has_no_default(tmp_path: Path) -> None:
    empty = load_boot_settings(tmp_path / "nothing-here", env={})
    assert empty.secret_key is None
    assert [s.name for s in BOOT_SETTINGS if s.secret and s.default not in (None, "")] == []
    assert [s.name for s in SITE_SETTINGS if s.secret and s.default not in (None, "")] == []


def test_short_secret_key_is_refused(data_dir: Path) -> None:
    with pytest.raises(ConfigError, match="at least 32"):
        load_boot_settings(data_dir, env={"KITCHENASTY_SECRET_KEY": "short"})


def test_mask_shows_at_most_the_last_four_and_only_of_long_secrets() -> None:
    assert mask("sk_live_1234567890abcd") == "****abcd"
    assert mask("exactly-16-chars") == "****hars"
    assert mask("fifteen-chars!!") == "****"
    assert mask("8charsOK") == "****"  # was shown whole: first 4 + last 4 of 8
    assert mask("short") == "****"
    assert mask("") == ""
    assert looks_masked("****abcd")
    assert looks_masked("****")
    assert looks_masked("sk_l...abcd")  # what earlier versions showed still counts as "keep the stored value"
    assert not looks_masked("a-real-password")


def test_example_config_documents_every_key_and_matches_the_registry() -> None:
    example = (REPO_ROOT / "kitchenasty.toml.example").read_text()
    assert example == render_example_config(), "regenerate kitchenasty.toml.example from the registry"
    for spec in (*BOOT_SETTINGS, *SITE_SETTINGS):
        assert f"key: {spec.name} " in example, spec.name
        assert f"# {spec.toml[-1]} = " in example, spec.name
        assert spec.env in example, spec.name


def test_example_config_parses_when_every_key_is_uncommented(tmp_path: Path) -> None:
    lines = []
    for line in render_example_config().splitlines():
        if line.startswith("# ") and " = " in line and not line.startswith("#   "):
            key = line[2:].split(" = ", 1)[0]
            if key.replace("_", "").isalnum():
                line = line[2:]
        lines.append(line)
    data_dir = tmp_path / "d"
    data_dir.mkdir()
    text = "\n".join(lines).replace('url = "postgresql://kitchenasty:secret@localhost/kitchenasty"', 'url = ""')
    text = text.replace('secret_key = ""', f'secret_key = "{"x" * 40}"')
    (data_dir / "kitchenasty.toml").write_text(text)
    boot = load_boot_settings(data_dir, env={})
    assert boot.sources["port"] == "toml"
    assert boot.port == 8000


def test_money_setting_rejects_more_than_two_decimals(data_dir: Path) -> None:
    spec = next(s for s in SITE_SETTINGS if s.name == "orders.deliveryFee")
    assert spec.parse("3.50", origin="test") == Decimal("3.50")
    assert spec.parse(3.5, origin="test") == Decimal("3.5")
    from kitchenasty.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="2 decimals"):
        spec.parse("3.505", origin="test")
