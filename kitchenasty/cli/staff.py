"""Staff commands: `invite-staff`, `create-admin`, `set-password`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer

from kitchenasty.cli.console import (
    ConfigOption,
    DataDirOption,
    boot_settings,
    fail,
    handle_errors,
    is_interactive,
    out,
    run,
)
from kitchenasty.core import datadir
from kitchenasty.core.config import BootSettings
from kitchenasty.core.security import Role, as_role
from kitchenasty.core.validate import valid_email
from kitchenasty.services import Services


def _initialised(data_dir: Path | None, config: Path | None) -> BootSettings:
    boot = boot_settings(data_dir, config)
    if not datadir.is_initialised(boot):
        fail(f"{boot.data_dir} is not initialised; run `kitchenasty init` first")
    return boot


def _password(password: str | None) -> str:
    if password is None and is_interactive():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        fail("give --password (no terminal to prompt for it)")
    if len(password) < 8:
        fail("the password must have at least 8 characters")
    return password


def register(app: typer.Typer) -> None:
    @app.command("invite-staff")
    @handle_errors
    def invite_staff(
        email: Annotated[str, typer.Argument(help="E-mail of the person to invite.")],
        role: Annotated[str, typer.Option(help="STAFF, MANAGER or SUPER_ADMIN.", case_sensitive=False)] = "STAFF",
        name: Annotated[str | None, typer.Option(help="Their name, for the e-mail.")] = None,
        data_dir: DataDirOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Create a single-use, 7-day invitation; print its link (and e-mail it when mail is configured)."""
        role = role.upper()
        if role not in ("STAFF", "MANAGER", "SUPER_ADMIN"):
            fail("role must be STAFF, MANAGER or SUPER_ADMIN")
        if not valid_email(email):
            fail(f"'{email}' is not an e-mail address")
        boot = _initialised(data_dir, config)

        checked_role = cast(Role, role)  # one of the three, checked above

        async def go(services: Services) -> None:
            invite = await services.staff.invite(email=email, role=checked_role, name=name, invited_by=None)
            out.print(f"invited {invite.email} as {invite.role}; expires {invite.expires_at}")
            out.print(f"accept link: {invite.accept_url}")
            out.print(f"  (the link uses {boot.base_url_source})")
            out.print(f"token: {invite.token}")
            out.print("e-mail queued" if invite.emailed else "mail is not configured: send the link yourself")

        run(go, boot)

    @app.command("create-admin")
    @handle_errors
    def create_admin(
        email: Annotated[str, typer.Option(help="E-mail of the new SUPER_ADMIN.")],
        password: Annotated[
            str | None,
            typer.Option(envvar="KITCHENASTY_ADMIN_PASSWORD", help="Password (8+ characters); prompted if omitted."),
        ] = None,
        name: Annotated[str, typer.Option(help="Display name.")] = "Owner",
        data_dir: DataDirOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Create a SUPER_ADMIN account (for a data dir created by `serve`, or a locked-out owner)."""
        if not valid_email(email):
            fail(f"'{email}' is not an e-mail address")
        boot = _initialised(data_dir, config)
        password = _password(password)

        async def go(services: Services) -> None:
            user = await services.staff.create(email=email, password=password, name=name, role="SUPER_ADMIN")
            out.print(f"created SUPER_ADMIN {user.email}")

        run(go, boot)

    @app.command("set-password")
    @handle_errors
    def set_password(
        email: Annotated[str, typer.Argument(help="E-mail of the staff account.")],
        password: Annotated[str | None, typer.Option(help="New password (8+ characters); prompted if omitted.")] = None,
        data_dir: DataDirOption = None,
        config: ConfigOption = None,
    ) -> None:
        """Set a staff member's password (and reactivate nothing): the owner's way back in. Every session of the
        account ends (a running server notices within seconds)."""
        boot = _initialised(data_dir, config)
        password = _password(password)

        async def go(services: Services) -> Role:
            user = await services.staff.set_password(email, password)
            return as_role(user.role)

        role = run(go, boot)
        out.print(f"password changed for {email} ({role}); its sessions have ended")
