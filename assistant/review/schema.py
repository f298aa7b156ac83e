"""The review database's file: its schema and migrations, and the connection every read and write
goes through.

SQLite runs in WAL mode (the app's readers never block its writer) and the schema is migrated with
``PRAGMA user_version``: add a new script to :data:`MIGRATIONS`, never edit an old one. Every string
written is redacted by the connection itself (:class:`_RedactingConnection`), and deleted or
overwritten text is zeroed on disk (``secure_delete``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError

MIGRATIONS: list[str] = [
    # 1: drafts, versions, comments, audit log, conversations
    """
    CREATE TABLE drafts (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        district TEXT,
        inquiry_text TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'utkast',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        approved_by TEXT,
        approved_at TEXT,
        conversation_id INTEGER
    );
    CREATE TABLE versions (
        draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        markdown TEXT NOT NULL,
        draft_json TEXT,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (draft_id, number)
    );
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT
    );
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        owner TEXT NOT NULL,
        title TEXT NOT NULL,
        state_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX drafts_status ON drafts(status);
    CREATE INDEX conversations_owner ON conversations(owner, updated_at);
    """,
    # 2: personnummer are never stored: everything written is redacted (see _RedactingConnection),
    # and what earlier versions stored is redacted by the data pass that goes with this number.
    """
    CREATE TABLE redaction_passes (number INTEGER PRIMARY KEY, at TEXT NOT NULL)
    """,
    # 3: Word files served only to who may see them; failed logins that lock an account
    """
    CREATE TABLE exports (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        draft_id INTEGER,
        path TEXT NOT NULL,
        filename TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE login_failures (
        name TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        locked_until TEXT
    )
    """,
]
REDACTION_MIGRATION = 2
REDACTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "drafts": ("title", "inquiry_text"),
    "versions": ("markdown", "draft_json"),
    "comments": ("text",),
    "audit": ("detail",),
    "conversations": ("title", "state_json"),
}
"""Every text column that may hold what a user pasted, typed or uploaded."""


class _RedactingConnection:
    """A sqlite3 connection whose writes are redacted: every string bound to an INSERT or UPDATE
    passes through :func:`assistant.ingest.redact.redacted`, whichever method wrote it. Enforced
    here, in the store, so no caller can forget it."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        if params and sql.lstrip()[:6].upper() in ("INSERT", "UPDATE"):
            from assistant.ingest.redact import redacted

            params = tuple(redacted(p) if isinstance(p, str) else p for p in params)
        return self._con.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


Connect = Callable[[], AbstractContextManager[sqlite3.Connection]]
"""Opens one short connection to the store's file as one transaction (:func:`connect` on its path)."""


def timestamp() -> str:
    """The time as the store writes it: UTC, ISO 8601, whole seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A short connection to ``path`` as one transaction, its writes redacted."""
    con = sqlite3.connect(path, timeout=30)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA secure_delete=ON")  # overwritten and deleted text is zeroed on disk, not left in free pages
    try:
        with con:  # one transaction: commit on success, roll back on error
            yield _RedactingConnection(con)  # type: ignore[misc]
    finally:
        con.close()


def prepare(path: Path) -> None:
    """Create or migrate the database at ``path`` (WAL mode), leave no old page images in its
    write-ahead log, and make its files owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with connect(path) as con:
        con.execute("PRAGMA journal_mode=WAL")
        migrate(con)
    # Old page images (from before a redaction pass) must not linger in the write-ahead log.
    raw = sqlite3.connect(path, timeout=30)
    try:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    # Owner-only, also for a database an earlier version created world-readable.
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part.exists():
            part.chmod(0o600)


def migrate(con: sqlite3.Connection) -> None:
    current = con.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise AssistantError(
            f"Databasen har schemaversion {current}, nyare än programmets {len(MIGRATIONS)}: uppgradera programmet."
        )
    for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
        for statement in filter(str.strip, script.split(";")):
            con.execute(statement)
        if number == REDACTION_MIGRATION and current > 0:
            _redact_stored(con)
        con.execute(f"PRAGMA user_version = {number}")


def _redact_stored(con: sqlite3.Connection) -> None:
    """Redact what a database from before store-level redaction holds (a one-time data pass)."""
    from assistant.ingest.redact import redacted

    for table, columns in REDACTED_COLUMNS.items():
        rows = con.execute(f"SELECT rowid, {', '.join(columns)} FROM {table}").fetchall()
        for row in rows:
            values = [row[c] for c in columns]
            clean = [redacted(v) if isinstance(v, str) else v for v in values]
            if clean != values:
                con.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE rowid = ?", (*clean, row[0]))
    con.execute("INSERT INTO redaction_passes (number, at) VALUES (?, ?)", (REDACTION_MIGRATION, timestamp()))
