"""The Granskning tab: the drafts a user may see, their versions, comments, approval and Word export.

Every read and every action goes through :class:`~assistant.review.db.ReviewStore` with the
logged-in user, so the store decides what is shown and allowed; this module only lays it out.
"""

from __future__ import annotations

from html import escape
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.models import Draft
from assistant.services.drafting import export_markdown_docx
from assistant.services.review import STATUSES, NeedsConfirmation, User, open_items
from assistant.ui import chat
from assistant.ui.context import AppContext, denied
from assistant.ui.html import diff_html, stockholm_time

ACTIONS = ("approve", "return", "comment", "save", "submit", "withdraw")


_when = stockholm_time


def build_review_tab(ctx: AppContext) -> dict[str, Any]:
    gr.Markdown(
        "### Granskning\nUtkast går från **utkast** → **för granskning** → **återremitterad** eller **godkänd**. "
        "Avdelningschefen godkänner och återremitterar; handläggaren redigerar sina egna utkast och skickar igen."
    )
    with gr.Row():
        status_filter = gr.Dropdown(["alla", *STATUSES], value="för granskning", label="Status", scale=1)
        refresh = gr.Button("Uppdatera", size="sm", scale=0)
    table = gr.Dataframe(
        headers=["Nr", "Titel", "Stadsdel", "Status", "Handläggare", "Versioner", "Uppdaterad"],
        interactive=False,
        elem_id="ua-review-table",
        wrap=True,
    )
    with gr.Row():
        selected = gr.Dropdown(choices=[], label="Välj utkast", elem_id="ua-review-pick", scale=3)
    meta = gr.Markdown(elem_id="ua-review-meta")
    with gr.Tabs():
        with gr.Tab("Text"):
            text_view = gr.Markdown(elem_id="ua-review-text", sanitize_html=True)
        with gr.Tab("Redigera"):
            editor = gr.Textbox(label="Text (Markdown)", lines=18, elem_id="ua-review-editor")
            with gr.Row():
                save_version = gr.Button("Spara ny version")
                resubmit = gr.Button("Skicka på granskning igen", variant="primary")
                withdraw = gr.Button("Dra tillbaka från granskning", elem_id="ua-withdraw-btn")
        with gr.Tab("Jämför versioner"):
            with gr.Row():
                old_v = gr.Dropdown(choices=[], label="Äldre version")
                new_v = gr.Dropdown(choices=[], label="Nyare version")
            diff_view = gr.HTML(elem_id="ua-review-diff")
    comments_view = gr.HTML(elem_id="ua-review-comments")
    comment_text = gr.Textbox(label="Kommentar", lines=2, elem_id="ua-review-comment")
    confirm_open = gr.Checkbox(
        label="Godkänn trots öppna punkter (platshållare och flaggor som visas i meddelandet)",
        value=False,
        elem_id="ua-confirm-open",
    )
    with gr.Row():
        comment_btn = gr.Button("Kommentera", elem_id="ua-comment-btn")
        return_btn = gr.Button("Återremittera", variant="stop", elem_id="ua-return-btn")
        approve_btn = gr.Button("Godkänn", variant="primary", elem_id="ua-approve-btn")
        export_btn = gr.Button("Exportera som Word", elem_id="ua-review-export-btn")
    review_msg = gr.Markdown(elem_id="ua-review-msg")
    export_link = gr.HTML("", elem_id="ua-review-download")
    with gr.Accordion("Händelselogg", open=False):
        audit = gr.Dataframe(headers=["Tid", "Vem", "Vad", "Objekt", "Detalj"], interactive=False, wrap=True)

    def draft_choices(user: User | None) -> list[tuple[str, int]]:
        """Every draft the user may see is selectable; the status filter narrows the table only."""
        if user is None:
            return []
        return [(f"{d.id}: {d.title} ({d.status})", d.id) for d in ctx.review.list_drafts(user)]

    def audit_rows(user: User | None, draft_id: int | None) -> list[list[str]]:
        """The whole log for an admin; otherwise the chosen draft's own entries."""
        if user is None or (draft_id is None and not user.is_admin):
            return []
        target = None if user.is_admin and draft_id is None else f"utkast {draft_id}"
        entries = ctx.review.audit_log(user, limit=100, target=target)
        return [[_when(e.at), e.user, e.action, e.target or "", e.detail or ""] for e in entries]

    def list_drafts(status: str | None, request: gr.Request):
        user = ctx.user(request)
        if user is None:
            return [], gr.update(choices=[]), []
        records = ctx.review.list_drafts(user, status=None if status in (None, "alla") else status)
        rows = [[d.id, d.title, d.district or "", d.status, d.owner, d.version_count, _when(d.updated_at)] for d in records]
        return rows, gr.update(choices=draft_choices(user)), audit_rows(user, None)

    def show(draft_id: int | None, request: gr.Request):
        user = ctx.user(request)
        if draft_id is None or user is None:
            return "", "", "", gr.update(choices=[]), gr.update(choices=[]), "", "", [], ""
        try:
            d = ctx.review.get_draft(user, int(draft_id))
            versions = ctx.review.versions(user, d.id)
            comments = ctx.review.comments(user, d.id)
        except AssistantError as err:
            raise denied(err) from err
        latest = versions[-1]
        approved = f" · godkänd av **{chat.md_escape(d.approved_by)}** {_when(d.approved_at)}" if d.approved_by else ""
        info = (
            f"**{chat.md_escape(d.title)}** · {chat.md_escape(d.district or 'ingen stadsdel')} · status **{d.status}** · "
            f"handläggare {chat.md_escape(d.owner)} · version {latest.number}{approved}"
        )
        still_open = open_items(latest.markdown)
        if still_open:
            shown = "; ".join(chat.md_escape(i) for i in still_open[:6]) + (" …" if len(still_open) > 6 else "")
            info += f"\n\n**Öppna punkter ({len(still_open)}):** {shown}"
        else:
            info += "\n\nInga öppna platshållare eller flaggor."
        numbers = [v.number for v in versions]
        old = numbers[-2] if len(numbers) > 1 else numbers[-1]
        comment_html = (
            "<div class='ua-muted'>Inga kommentarer.</div>"
            if not comments
            else "<ul>"
            + "".join(
                f"<li><b>{escape(c.author)}</b> (version {c.version}, {escape(_when(c.created_at))}): {escape(c.text)}</li>"
                for c in comments
            )
            + "</ul>"
        )
        return (
            info,
            chat.md_escape(latest.markdown),
            latest.markdown,
            gr.update(choices=numbers, value=old),
            gr.update(choices=numbers, value=numbers[-1]),
            diff_html(ctx.review.diff(user, d.id, old, numbers[-1])),
            comment_html,
            audit_rows(user, d.id),
            "",
        )

    def show_diff(draft_id, old, new, request: gr.Request):
        if draft_id is None or old is None or new is None:
            return ""
        try:
            return diff_html(ctx.review.diff(ctx.user(request), int(draft_id), int(old), int(new)))
        except AssistantError as err:
            raise denied(err) from err

    view_outputs = [meta, text_view, editor, old_v, new_v, diff_view, comments_view, audit, export_link]
    refresh.click(list_drafts, status_filter, [table, selected, audit], api_visibility="private")
    status_filter.change(list_drafts, status_filter, [table, selected, audit], api_visibility="private")
    selected.change(show, selected, view_outputs, api_visibility="private")
    # Only a person's choice recomputes the diff: the view's own refresh already sets it, and
    # change events fired by that refresh could finish out of order with stale version numbers.
    old_v.input(show_diff, [selected, old_v, new_v], diff_view, api_visibility="private")
    new_v.input(show_diff, [selected, old_v, new_v], diff_view, api_visibility="private")

    def review_action(
        draft_id: int,
        action: str,
        comment: str = "",
        text: str = "",
        confirm: bool = False,
        request: gr.Request = None,
    ) -> str:
        """Apply a review action (``approve``, ``return``, ``comment``, ``save``, ``submit``,
        ``withdraw``) as the logged-in user; ``confirm`` approves despite open placeholders and flags.

        Who may do what is the store's decision (server-side); this is also the ``/review`` API endpoint.
        """
        user = ctx.user(request)
        if draft_id is None:
            raise gr.Error("Välj ett utkast först.")
        if action not in ACTIONS:
            raise gr.Error(f"Okänd åtgärd {action!r}.")
        draft_id = int(draft_id)
        try:
            if action == "approve":
                ctx.review.approve(user, draft_id, confirm_open=bool(confirm))
                return f"Utkast {draft_id} är godkänt av {user.name}."
            if action == "return":
                ctx.review.return_draft(user, draft_id, comment or "")
                return f"Utkast {draft_id} är återremitterat."
            if action == "comment":
                ctx.review.comment(user, draft_id, comment or "")
                return "Kommentaren är sparad."
            if action == "save":
                return f"Version {ctx.review.add_version(user, draft_id, text or '')} är sparad."
            if action == "submit":
                ctx.review.submit(user, draft_id)
                return f"Utkast {draft_id} är skickat på granskning."
            ctx.review.withdraw(user, draft_id)
            return f"Utkast {draft_id} är tillbakadraget och kan redigeras."
        except NeedsConfirmation as err:
            return "⚠ " + chat.md_escape(str(err))
        except AssistantError as err:
            raise denied(err) from err

    def action(kind: str):
        def run(draft_id, comment, text, status, confirm, request: gr.Request):
            msg = review_action(draft_id, kind, comment, text, confirm, request)
            rows, choices, _ = list_drafts(status, request)
            user = ctx.user(request)
            return (msg, "", False, rows, gr.update(choices=draft_choices(user), value=int(draft_id)), *show(int(draft_id), request))

        return run

    outs = [review_msg, comment_text, confirm_open, table, selected, *view_outputs]
    ins = [selected, comment_text, editor, status_filter, confirm_open]
    for button, kind in (
        (approve_btn, "approve"),
        (return_btn, "return"),
        (comment_btn, "comment"),
        (save_version, "save"),
        (resubmit, "submit"),
        (withdraw, "withdraw"),
    ):
        button.click(action(kind), ins, outs, api_visibility="private")
    gr.api(review_action, api_name="review")

    def on_export(draft_id: int | None, request: gr.Request) -> str:
        """The chosen draft's latest version (the approved one once approved) as Word."""
        user = ctx.user(request)
        if draft_id is None:
            raise gr.Error("Välj ett utkast först.")
        try:
            path = export_review_version(ctx, user, int(draft_id))
        except AssistantError as err:
            raise denied(err) from err
        return ctx.download_link(user, path, int(draft_id))

    export_btn.click(on_export, selected, export_link, api_visibility="private")
    return {
        "refresh": (list_drafts, status_filter, [table, selected, audit]),
        "approve_btn": approve_btn,
        "return_btn": return_btn,
        "confirm_open": confirm_open,
    }


def export_review_version(ctx: AppContext, user: User | None, draft_id: int):
    """Write the latest version of a review draft as Word, marked approved when it is; the store
    checks that ``user`` may see it."""
    record = ctx.review.get_draft(user, draft_id)
    version = ctx.review.version(user, draft_id)
    path = ctx.export_path(user, record.title, f"utkast-{draft_id}-v{version.number}")
    approved = record.status == "godkänd"
    citations = Draft.model_validate_json(version.draft_json).citations if version.draft_json else []
    return export_markdown_docx(
        version.markdown,
        path,
        title=record.title,
        district=record.district,
        citations=citations,
        approved_by=record.approved_by if approved else None,
        approved_at=record.approved_at if approved else None,
        author=record.owner,
        status=record.status,
    )
