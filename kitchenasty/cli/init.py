"""`kitchenasty init`: data dir, secret key, config file, database at head, first SUPER_ADMIN, demo data."""

from __future__ import annotations

from typing import Annotated

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
from kitchenasty.core.errors import Conflict
from kitchenasty.core.security import generate_secret
from kitchenasty.core.validate import valid_email
from kitchenasty.services import Services


async def ensure_webhook_secret(services: Services) -> None:
    """Webhook signatures need a key; generate one the first time (never a default)."""
    resolved = await services.settings.resolved()
    if not resolved.get("advanced.webhookSigningSecret"):
        await services.settings.update_group("advanced", {"webhookSigningSecret": generate_secret(32)})


async def create_admin(services: Services, email: str, password: str, name: str) -> str:
    user = await services.staff.create(email=email, password=password, name=name, role="SUPER_ADMIN")
    return user.email


def prepare_data_dir(boot: BootSettings) -> BootSettings:
    """Create what is missing and return the settings reloaded (the new secret key is now on disk)."""
    report = datadir.prepare(boot)
    for line in report.created:
        out.print(f"created {line}")
    if report.migrated_to:
        out.print(f"database migrated to {report.migrated_to}")
    reloaded = boot_settings(boot.data_dir, boot.config_path)
    run(ensure_webhook_secret, reloaded)
    return reloaded


def register(app: typer.Typer) -> None:
    @app.command()
    @handle_errors
    def init(
        data_dir: DataDirOption = None,
        config: ConfigOption = None,
        admin_email: Annotated[str | None, typer.Option(help="E-mail of the first SUPER_ADMIN.")] = None,
        admin_password: Annotated[
            str | None,
            typer.Option(
                envvar="KITCHENASTY_ADMIN_PASSWORD", help="Password of the first SUPER_ADMIN (8+ characters)."
            ),
        ] = None,
        admin_name: Annotated[str, typer.Option(help="Display name of the first SUPER_ADMIN.")] = "Owner",
        demo: Annotated[bool, typer.Option("--demo", help="Add a demo restaurant (location, menu, coupon).")] = False,
        force: Annotated[
            bool,
            typer.Option(
                "--force", help="Proceed on a data dir that is already initialised (keeps its secret, config and data)."
            ),
        ] = False,
    ) -> None:
        """Create the data dir, secret key, config file, database and the first SUPER_ADMIN."""
        boot = boot_settings(data_dir, config)
        initialised = datadir.is_initialised(boot)
        if initialised and not force:
            fail(f"{boot.data_dir} is already initialised; use --force to add an admin or demo data to it")
        wants_admin = not (initialised and admin_email is None and admin_password is None)
        if wants_admin and admin_email is None and admin_password is None and is_interactive():
            admin_email = typer.prompt("Admin e-mail")
        if wants_admin and admin_email is not None and admin_password is None and is_interactive():
            admin_password = typer.prompt("Admin password", hide_input=True, confirmation_prompt=True)
        if wants_admin and (not admin_email or not admin_password):
            fail("give --admin-email and --admin-password (no terminal to prompt for them)")
        if wants_admin and admin_email is not None and not valid_email(admin_email):
            fail(f"'{admin_email}' is not an e-mail address")
        if wants_admin and admin_password is not None and len(admin_password) < 8:
            fail("the admin password must have at least 8 characters")
        boot = prepare_data_dir(boot)

        async def finish(services: Services) -> str | None:
            email = None
            if wants_admin and admin_email is not None and admin_password is not None:
                try:
                    email = await create_admin(services, admin_email, admin_password, admin_name)
                except Conflict:
                    if not initialised:
                        raise
                    out.print(f"{admin_email} already has an account; kept it as it is")
            if demo:
                from kitchenasty.menu.demo import seed_demo

                out.print(await seed_demo(services))
            return email

        email = run(finish, boot)
        who = f"SUPER_ADMIN {email}; " if email else ""
        out.print(f"[green]ready[/]: {who}data in {boot.data_dir}")
        out.print("next: [bold]kitchenasty serve[/]" + (f" --data-dir {boot.data_dir}" if data_dir else ""))
