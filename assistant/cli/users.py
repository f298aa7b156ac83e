"""``assistant users add/list/remove/unlock``: the users file the app logs in against.

Passwords are asked for at a hidden prompt, or read from standard input with ``--password-stdin``
(for scripts): never taken as an argument, where ``ps`` and the shell history would show them.
"""

from __future__ import annotations

import sys

import typer

from assistant.cli import app
from assistant.errors import AssistantError
from assistant.services import Assistant, user_roles
from assistant.settings import get_settings

ROLES = user_roles()
users_app = typer.Typer(help="Users and roles of the app (argon2-hashed passwords).", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _store():  # -> assistant.review.auth.UserStore
    return Assistant(get_settings()).users


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(..., "--role", "-r", help=f"One of: {', '.join(ROLES)}."),
    district: str = typer.Option(
        None, "--district", "-d", help="The district the user works for (an avdelningschef then reviews its drafts only)."
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of standard input instead of a prompt."
    ),
) -> None:
    """Add a user, or set an existing user's role, district and password (asked for, never an argument)."""
    if role not in ROLES:
        raise typer.BadParameter(f"unknown role {role!r}; choose one of {', '.join(ROLES)}", param_hint="--role")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Lösenord", hide_input=True, confirmation_prompt=True)
    store = _store()
    was_configured = store.configured
    try:
        user = store.add(name, role, password, district)
    except AssistantError as err:
        typer.echo(f"Error: {err}", err=True)
        raise typer.Exit(1) from err
    where = f", {user.district}" if user.district else ""
    typer.echo(f"{user.name} ({user.role}{where}) saved in {store.path}")
    if not was_configured:
        typer.echo("The first user: restart a running app to require login (until then it stays in local mode).")


@users_app.command("list")
def list_users() -> None:
    """List users and their roles."""
    store = _store()
    users = store.list()
    if not users:
        typer.echo(f"No users in {store.path}: the app runs as one local user with admin rights.")
        return
    for user in users:
        typer.echo(f"{user.name:<24} {user.role:<15} {user.district or '':<22} {ROLES[user.role]}")


@users_app.command("remove")
def remove(name: str = typer.Argument(..., help="Login name.")) -> None:
    """Remove a user."""
    store = _store()
    if not store.remove(name):
        typer.echo(f"Error: no user {name!r} in {store.path}", err=True)
        raise typer.Exit(1)
    typer.echo(f"Removed {name}")


@users_app.command("unlock")
def unlock(name: str = typer.Argument(..., help="Login name.")) -> None:
    """End the lock of an account that had too many wrong passwords (recorded in the audit log)."""
    was_locked = Assistant(get_settings()).unlock_user(name)
    typer.echo(f"{name} unlocked" if was_locked else f"{name} was not locked")
