"""Users, roles and permission checks.

Users live in one JSON file (``settings.resolved_users_file``) with argon2 password hashes, never
passwords, and optionally the district a user works for (an avdelningschef with a district reviews
that district's drafts only). The file is written atomically with owner-only permissions and re-read
on every lookup, so a role change or a removal applies to a running app at once. With no users
configured when the app starts, it runs as a single local user with admin rights (a workstation
install) until it is restarted, and says so.

Permissions are checked in the server-side functions (:func:`require`), not only by hiding buttons:
a handläggare who calls the approve endpoint directly is refused.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from assistant.errors import AssistantError
from assistant.fileio import atomic_write_json

Role = Literal["handläggare", "avdelningschef", "utvärderare", "admin"]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]

ROLE_DESCRIPTIONS: dict[str, str] = {
    "handläggare": "skriver utkast och skickar dem på granskning",
    "avdelningschef": "granskar, återremitterar och godkänner utkast",
    "utvärderare": "kör utvärderingar av assistentens kvalitet",
    "admin": "hanterar kunskapsbanken och användare; får allt",
}

_NAME = re.compile(r"^[\w.@-]{1,64}$")


class PermissionDenied(AssistantError):
    """The user's role does not allow the action. ``str(err)`` is Swedish, shown in the UI."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    district: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


LOCAL_USER = User(name="lokal användare", role="admin")
"""The one user when no users file is configured."""


def require(user: User | None, *roles: str) -> User:
    """Return ``user`` if its role is one of ``roles`` (admin always passes), else raise.

    Called at the top of every server-side function that changes state, so the check holds whether
    the call came from a button, the HTTP API or a script.
    """
    if user is None:
        raise PermissionDenied("Du är inte inloggad.")
    if user.role == "admin" or user.role in roles:
        return user
    allowed = " eller ".join(roles)
    raise PermissionDenied(f"Behörighet saknas: {user.name} är {user.role}; åtgärden kräver {allowed}.")


class UserStore:
    """The users file. Every method re-reads it, so the CLI and a running app stay in step."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._hasher = PasswordHasher()
        self._lock = threading.Lock()

    # --- reading -------------------------------------------------------------------------------
    def _load(self) -> dict[str, dict]:
        if not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise AssistantError(f"{self.path}: användarfilen kan inte läsas ({err})") from err
        users = data.get("users", {}) if isinstance(data, dict) else None
        if not isinstance(users, dict):
            raise AssistantError(f"{self.path}: användarfilen saknar objektet 'users'")
        return users

    def list(self) -> list[User]:
        return [User(name, rec["role"], rec.get("district")) for name, rec in sorted(self._load().items())]

    def get(self, name: str) -> User | None:
        rec = self._load().get(name)
        return User(name, rec["role"], rec.get("district")) if rec else None

    @property
    def configured(self) -> bool:
        """True when at least one user exists; otherwise the app runs as :data:`LOCAL_USER`."""
        return bool(self._load())

    def verify(self, name: str, password: str) -> bool:
        rec = self._load().get(name)
        if not rec:
            # Hash anyway so an unknown name takes as long as a wrong password.
            self._hasher.hash(password or "x")
            return False
        try:
            return self._hasher.verify(rec["hash"], password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    # --- writing -------------------------------------------------------------------------------
    def add(self, name: str, role: str, password: str, district: str | None = None) -> User:
        """Add a user or replace an existing user's role, password and district."""
        if not _NAME.match(name):
            raise AssistantError(f"Ogiltigt användarnamn {name!r}: 1-64 tecken, bokstäver, siffror, . _ @ -")
        if role not in ROLES:
            raise AssistantError(f"Okänd roll {role!r}; välj en av {', '.join(ROLES)}")
        if len(password) < 8:
            raise AssistantError("Lösenordet måste ha minst 8 tecken.")
        if district is not None:
            from assistant.registry import current_district

            known = current_district(district)
            if known is None:
                raise AssistantError(f"Okänd stadsdel {district!r}.")
            district = known
        with self._lock:
            users = self._load()
            users[name] = {
                "role": role,
                "hash": self._hasher.hash(password),
                "updated": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            if district:
                users[name]["district"] = district
            self._write(users)
        return User(name, role, district)

    def remove(self, name: str) -> bool:
        with self._lock:
            users = self._load()
            if users.pop(name, None) is None:
                return False
            self._write(users)
            return True

    def _write(self, users: dict[str, dict]) -> None:
        atomic_write_json(self.path, {"users": users}, indent=2)
