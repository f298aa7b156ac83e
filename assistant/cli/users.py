"""``assistant users add/list/remove``: the users file the app logs in against."""

from __future__ import annotations

import typer

from assistant.cli import app
from assistant.errors import AssistantError
from assistant.review.auth import ROLE_DESCRIPTIONS, ROLES, UserStore
from assistant.settings import get_settings

users_app = typer.Typer(help="Users and roles of the app (argon2-hashed passwords).", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _store() -> UserStore:
    return UserStore(get_settings().resolved_users_file)


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(..., "--role", "-r", help=f"One of: {', '.join(ROLES)}."),
    password: str = typer.Option(
        None, "--password", "-p", help="Password (at least 8 characters); asked for when omitted."
    ),
) -> None:
    """Add a user, or set an existing user's role and password."""
    if role not in ROLES:
        raise typer.BadParameter(f"unknown role {role!r}; choose one of {', '.join(ROLES)}", param_hint="--role")
    if password is None:
        password = typer.prompt("Lösenord", hide_input=True, confirmation_prompt=True)
    store = _store()
    try:
        user = store.add(name, role, password)
    except AssistantError as err:
        typer.echo(f"Error: {err}", err=True)
        raise typer.Exit(1) from err
    typer.echo(f"{user.name} ({user.role}) saved in {store.path}")


@users_app.command("list")
def list_users() -> None:
    """List users and their roles."""
    store = _store()
    users = store.list()
    if not users:
        typer.echo(f"No users in {store.path}: the app runs as one local user with admin rights.")
        return
    for user in users:
        typer.echo(f"{user.name:<24} {user.role:<15} {ROLE_DESCRIPTIONS[user.role]}")


@users_app.command("remove")
def remove(name: str = typer.Argument(..., help="Login name.")) -> None:
    """Remove a user."""
    store = _store()
    if not store.remove(name):
        typer.echo(f"Error: no user {name!r} in {store.path}", err=True)
        raise typer.Exit(1)
    typer.echo(f"Removed {name}")
