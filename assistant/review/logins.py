"""Failed logins: wrong passwords in a row per account name, and when a lock ends.

Kept in the database so every process shares them: the app counts and locks, the CLI (an admin on
the server) unlocks. Each event is audited on the same connection. The store
(:class:`assistant.review.db.ReviewStore`) is the only caller; it checks that whoever unlocks is an
admin before :meth:`LoginFailures.clear`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.review import audit
from assistant.review.auth import User
from assistant.review.schema import Connect


class LoginFailures:
    """The ``login_failures`` table, each method one short transaction of its own."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def locked_until(self, name: str) -> datetime | None:
        with self._connect() as con:
            row = con.execute("SELECT locked_until FROM login_failures WHERE name = ?", (name,)).fetchone()
        if row is None or not row["locked_until"]:
            return None
        until = datetime.fromisoformat(row["locked_until"])
        return until if until > datetime.now(UTC) else None

    def record_failure(self, name: str, address: str, max_failures: int, lockout: timedelta) -> datetime | None:
        with self._connect() as con:
            row = con.execute("SELECT failures FROM login_failures WHERE name = ?", (name,)).fetchone()
            failures = (row["failures"] if row else 0) + 1
            until = (datetime.now(UTC) + lockout).replace(microsecond=0) if failures >= max_failures else None
            con.execute(
                "INSERT INTO login_failures (name, failures, locked_until) VALUES (?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until",
                (name, 0 if until else failures, until.isoformat(timespec="seconds") if until else None),
            )
            who = User(name or "(tomt namn)", "okänd")
            audit.record(con, who, "inloggning misslyckades", f"konto {name}", f"från {address}, {failures} i rad")
            if until:
                audit.record(con, who, "konto låst", f"konto {name}", f"till {until:%Y-%m-%d %H:%M} UTC efter {failures} fel")
        return until

    def record_success(self, name: str, address: str) -> None:
        with self._connect() as con:
            con.execute("DELETE FROM login_failures WHERE name = ?", (name,))
            audit.record(con, User(name, "okänd"), "loggade in", f"konto {name}", f"från {address}")

    def clear(self, admin: User, name: str) -> bool:
        """End an account's lock (``admin``'s role is checked by the store first); whether it was locked."""
        locked = self.locked_until(name) is not None
        with self._connect() as con:
            con.execute("DELETE FROM login_failures WHERE name = ?", (name,))
            audit.record(con, admin, "låste upp konto", f"konto {name}")
        return locked
