"""Saved chats: a conversation's whole state as JSON, under a title, each its owner's.

Only the owner may overwrite a chat; the owner, or an admin, may open it; a user's list holds only
their own. The store (:class:`assistant.review.db.ReviewStore`) is the only caller: its
``save_conversation``, ``conversations`` and ``conversation`` call this table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from assistant.review.auth import PermissionDenied, User
from assistant.review.errors import ReviewError
from assistant.review.schema import Connect, timestamp


@dataclass
class Conversation:
    id: int
    owner: str
    title: str
    state: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    updated_at: str = ""


class Conversations:
    """The ``conversations`` table, each method one short transaction of its own."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def save(self, user: User, state: dict[str, Any], title: str, conversation_id: int | None = None) -> int:
        now = timestamp()
        payload = json.dumps(state, ensure_ascii=False)
        with self._connect() as con:
            if conversation_id is not None:
                row = con.execute("SELECT owner FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
                if row is not None:
                    if row["owner"] != user.name:
                        raise PermissionDenied(f"Samtal {conversation_id} tillhör {row['owner']}.")
                    con.execute(
                        "UPDATE conversations SET title = ?, state_json = ?, updated_at = ? WHERE id = ?",
                        (title, payload, now, conversation_id),
                    )
                    return conversation_id
            cur = con.execute(
                "INSERT INTO conversations (owner, title, state_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (user.name, title, payload, now, now),
            )
            return int(cur.lastrowid)

    def owned_by(self, user: User, search: str = "") -> list[Conversation]:
        words = search.casefold().split()
        with self._connect() as con:
            rows = con.execute(
                "SELECT id, owner, title, created_at, updated_at, state_json FROM conversations WHERE owner = ?"
                " ORDER BY updated_at DESC, id DESC",
                (user.name,),
            ).fetchall()
        out = []
        for r in rows:
            data = dict(r)
            haystack = f"{data['title']} {data.pop('state_json')}".casefold()
            if all(w in haystack for w in words):
                out.append(Conversation(**data))
        return out

    def get(self, user: User, conversation_id: int) -> Conversation:
        with self._connect() as con:
            row = con.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise ReviewError(f"Samtal {conversation_id} finns inte.")
        if row["owner"] != user.name and not user.is_admin:
            raise PermissionDenied(f"Samtal {conversation_id} tillhör {row['owner']}.")
        data = dict(row)
        state = json.loads(data.pop("state_json"))
        return Conversation(**data, state=state)
