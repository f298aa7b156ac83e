"""The audit log's table: who did what, when, to which draft or account.

An entry is written on the connection of the action it records, so the two are committed or rolled
back together (a refusal is written in a transaction of its own, so it is kept). Who may read the
log is decided by the store (:meth:`assistant.review.db.ReviewStore.audit_log`); the actions are
listed in ``docs/security.md``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from assistant.review.auth import User
from assistant.review.schema import timestamp


@dataclass
class AuditEntry:
    id: int
    at: str
    user: str
    action: str
    target: str | None
    detail: str | None


def record(con: sqlite3.Connection, user: User, action: str, target: str | None, detail: str | None = None) -> None:
    con.execute(
        "INSERT INTO audit (at, user, action, target, detail) VALUES (?, ?, ?, ?, ?)",
        (timestamp(), user.name, action, target, detail),
    )


def entries(con: sqlite3.Connection, target: str | None, limit: int) -> list[AuditEntry]:
    """The newest ``limit`` entries, of ``target`` only when it is given."""
    rows = con.execute(
        "SELECT * FROM audit WHERE (? IS NULL OR target = ?) ORDER BY id DESC LIMIT ?", (target, target, limit)
    )
    return [AuditEntry(**dict(r)) for r in rows]
