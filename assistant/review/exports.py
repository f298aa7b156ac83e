"""The registry of Word files: each file written for a user, under an unguessable id.

The app serves a file only through this registry, so only to someone who may have it: the store
(:meth:`assistant.review.db.ReviewStore.export_file`) decides that from the row read here (the
writer, an admin, or whoever may see the draft it was written from).
"""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

from assistant.review import audit
from assistant.review.auth import User
from assistant.review.schema import Connect, timestamp


class Exports:
    """The ``exports`` table, each method one short transaction of its own."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def register(self, user: User, path: Path, filename: str, draft_id: int | None = None) -> str:
        export_id = secrets.token_urlsafe(24)
        with self._connect() as con:
            con.execute(
                "INSERT INTO exports (id, owner, draft_id, path, filename, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (export_id, user.name, draft_id, str(path), filename, timestamp()),
            )
            audit.record(con, user, "exporterade Word", f"utkast {draft_id}" if draft_id else None, filename)
        return export_id

    def get(self, export_id: str) -> sqlite3.Row | None:
        with self._connect() as con:
            return con.execute("SELECT * FROM exports WHERE id = ?", (export_id,)).fetchone()
