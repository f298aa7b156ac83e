"""What every tab's handlers share: the assistant, users, the review store, and who is asking."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import gradio as gr

from assistant.models import Draft
from assistant.services.review import LOCAL_USER, PermissionDenied, ReviewStore, User, UserStore, require
from assistant.ui.startup import IndexingStatus

DRAFTING = ("handläggare", "avdelningschef")


class AppContext:
    """The assistant, users, the review store and the indexing status, for every handler.

    ``local`` is decided once, when the app is built: with no users configured then, everyone is
    the local admin until a restart. Users added while it runs do not lock everyone out (the app has
    no login to offer them until restarted); users removed while it runs are refused at once.
    """

    def __init__(self, assistant, users: UserStore, review: ReviewStore, status: IndexingStatus | None) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.users = users
        self.review = review
        self.status = status
        self.local = not users.configured

    def user_named(self, name: str | None) -> User | None:
        """The user behind a session's name, read from the users file now (role changes apply at once)."""
        if self.local:
            return LOCAL_USER
        return self.users.get(name) if name else None

    def user(self, request: gr.Request | None) -> User | None:
        return self.user_named(getattr(request, "username", None) if request else None)

    def require(self, request: gr.Request | None, *roles: str) -> User:
        """The logged-in user if they hold one of ``roles``; otherwise the refusal as a ``gr.Error``."""
        try:
            return require(self.user(request), *roles)
        except PermissionDenied as err:
            self.review.log_account(getattr(request, "username", None) or "", "nekad", str(err))
            raise denied(err) from err

    def wait_until_indexed(self) -> None:
        if self.status is not None:
            self.status.wait()
            if self.status.error:
                raise gr.Error(f"Kunskapsbanken kunde inte indexeras: {self.status.error}")

    @property
    def max_upload_bytes(self) -> int:
        return int(self.settings.app.max_upload_mb * 1024 * 1024)

    @property
    def exports_dir(self) -> Path:
        return self.settings.data_dir / "exports"

    def export_path(self, user: User, title: str, key: str) -> Path:
        """Where a Word file for ``user`` goes: inside the data dir, per user, named after the
        (redacted) title; nothing in a name can lead outside it."""
        from assistant.services.drafting import redacted

        slug = re.sub(r"[^\w-]+", "-", redacted(title).lower()).strip("-")[:50] or "utkast"
        who = re.sub(r"[^\w-]+", "-", user.name) or "anvandare"
        return self.exports_dir / who / f"{key}-{slug}.docx"

    def export_docx(self, draft: Draft, user: User, title: str, conversation_id: int | None = None) -> Path:
        """Write the chat's draft as Word (one file per conversation)."""
        key = f"samtal-{conversation_id}" if conversation_id is not None else f"{datetime.now():%Y%m%d-%H%M%S}"
        return self.assistant.export_docx(draft, self.export_path(user, title, key))

    def download_link(self, user: User, path: Path | None, draft_id: int | None = None) -> str:
        """HTML for a download of ``path`` through the checked route (``/eksport/<id>``), or ''."""
        if path is None:
            return ""
        export_id = self.review.register_export(user, path, path.name, draft_id)
        return (
            f"<a class='ua-download' href='/eksport/{export_id}' download='{path.name}'>"
            "⬇ Ladda ner som Word (.docx)</a>"
        )


def denied(err: Exception) -> gr.Error:
    """A refusal or bad input from the services, as the Swedish error the UI shows."""
    return gr.Error(str(err))


def remove_upload(path: str | Path | None) -> None:
    """Delete a raw upload from Gradio's upload cache once it has been read: only the redacted text
    is kept. Its folder (Gradio makes one per upload) goes too when empty."""
    if not path:
        return
    p = Path(path)
    p.unlink(missing_ok=True)
    try:
        p.parent.rmdir()
    except OSError:
        pass

