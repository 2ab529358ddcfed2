"""`flask users create-admin EMAIL`: the first administrator of a fresh installation
(everyone else is invited from the admin pages)."""

from __future__ import annotations

import click

from ...core.workflow import Role
from ...extensions import db
from ...schema import ensure_schema
from ..auth import services as auth_services
from . import services


def register(bp) -> None:
    @bp.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", default="", help="Full name shown in the interface.")
    @click.option("--base-url", default="http://localhost:5000", show_default=True,
                  help="Address of the site, to print a complete link.")
    def create_admin(email: str, name: str, base_url: str) -> None:
        """Create (or reactivate) an administrator and print a one-time link."""
        ensure_schema()
        user = auth_services.find_user_by_email(email)
        data = {"email": email, "name": name or (user.name if user else ""),
                "role": Role.ADMIN.value, "country_code": None, "themes": None,
                "language": user.language if user else "en", "active": True}
        try:
            user = services.save_user(user, data, acting=_Nobody())
        except services.AdminError as error:
            raise click.ClickException(str(error.message)) from None
        purpose, token = services.one_time_link(user)
        db.session.commit()
        click.echo(f"{user.email} is an administrator. Send them this {purpose} link "
                   f"(it works once):\n{base_url.rstrip('/')}/auth/accept/{token}")


class _Nobody:
    """The acting user of a command line: matches no account."""

    id = None
