"""The Gradio app: chat with sources beside it, review, knowledge and evaluation tabs, and ``/draft``.

The UI is a thin layer: conversation logic lives in :mod:`assistant.ui.chat`, review rules and role
checks in :mod:`assistant.review`, escaping in :mod:`assistant.ui.html`. Every handler that changes
state looks up the logged-in user from ``gr.Request`` and lets the server-side function decide.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from assistant.errors import AssistantError  # noqa: E402
from assistant.review.auth import LOCAL_USER, User, UserStore  # noqa: E402
from assistant.review.db import ReviewStore  # noqa: E402
from assistant.ui import chat  # noqa: E402
from assistant.ui.review_tab import build_review_tab  # noqa: E402
from assistant.ui.context import DRAFTING, AppContext, denied, remove_upload  # noqa: E402
from assistant.ui.html import (  # noqa: E402
    CSS,
    JS,
    banner_html,
    citation_label,
    diff_html,
    empty_sources_html,
    stockholm_time,
    theme,
    comparison_html,
    pick_label,
    passage_html,
)
from assistant.ui.startup import IndexingStatus  # noqa: E402

UPLOAD_TYPES = [".pdf", ".docx", ".txt"]
KNOWLEDGE_TYPES = [".pdf", ".docx", ".txt", ".html", ".htm", ".md"]


# ================================================================================================
# chat tab
# ================================================================================================
def _chat_outputs(ctx: AppContext, state: chat.ChatState, download: Any = gr.skip()) -> tuple:
    """(chatbot, state, sources radio, checklist, exclude choices, download, comparison, picks) for a state."""
    sources = state.current_sources()
    choices = [(citation_label(c), key) for key, c in sources]
    docs = {}
    for _, c in sources:
        docs.setdefault(c.doc_id, f"{c.title or Path(c.source).name} ({c.district or 'okänd stadsdel'})")
    items = chat.checklist(state.draft)
    return (
        state.messages,
        state,
        gr.update(choices=choices, value=None),
        gr.update(choices=[(label, key) for key, label, _ in items], value=[key for key, _, done in items if done]),
        gr.update(choices=[(label, doc_id) for doc_id, label in docs.items()], value=[]),
        download,
        *_comparison_outputs(state),
    )


def _comparison_outputs(state: chat.ChatState) -> tuple:
    """(comparison table, pick list) for a state; the table links open cells in the sources panel."""
    keys = chat.register_comparison_sources(state)
    comparison = state.comparison
    picks = [(pick_label(r.label, c), c.key) for r in comparison.rows for c in r.cells] if comparison else []
    return comparison_html(comparison, keys, state.picked, drafted=state.draft is not None), gr.update(choices=picks, value=list(state.picked))


def _read_upload(ctx: AppContext, path: str | None) -> str:
    from assistant.ingest.readers import read_document

    from assistant.ingest.redact import redacted

    if not path:
        return ""
    p = Path(path)
    try:
        if p.suffix.lower() not in UPLOAD_TYPES:
            raise gr.Error(f"{p.name}: filtypen {p.suffix or '(ingen)'} stöds inte här; ladda upp PDF, DOCX eller TXT.")
        return redacted(read_document(p, ctx.max_upload_bytes).text)
    except AssistantError as err:
        raise gr.Error(str(err)) from err
    finally:
        remove_upload(p)  # the raw file may hold what redaction removes: only the redacted text is kept


def build_chat_tab(ctx: AppContext) -> dict[str, Any]:
    state = gr.State(chat.ChatState())
    with gr.Row(equal_height=False):
        with gr.Column(scale=7, min_width=480):
            with gr.Row():
                district = gr.Dropdown(
                    choices=chat.district_names(),
                    value=None,
                    label="Mottagande stadsdel",
                    info="Förifylls från skrivelsen när det går.",
                    allow_custom_value=False,
                    scale=3,
                    elem_id="ua-district",
                )
                with gr.Column(scale=3, min_width=220):
                    history = gr.Dropdown(choices=[], label="Tidigare samtal", elem_id="ua-history")
                    history_search = gr.Textbox(
                        label="Sök bland dina samtal", placeholder="ord ur titel, skrivelse eller utkast", elem_id="ua-history-search"
                    )
                with gr.Column(scale=1, min_width=120):
                    open_btn = gr.Button("Öppna", size="sm")
                    new_btn = gr.Button("Nytt samtal", size="sm")
            chatbot = gr.Chatbot(
                label="Utkast och samtal",
                elem_id="ua-chat",
                height=600,
                sanitize_html=True,
                buttons=["copy"],
                feedback_options=None,
                placeholder=(
                    "**Klistra in en skrivelse, motion eller remiss** – eller ladda upp den – "
                    "så skriver jag ett utkast till tjänsteutlåtande med källhänvisningar."
                ),
            )
            message = gr.Textbox(
                label="Meddelande",
                placeholder="Klistra in skrivelsen, eller fråga: ”Hur svarade Skarpnäck på fråga 2?”, ”ta bort källa 2” …",
                lines=3,
                max_lines=12,
                elem_id="ua-message",
            )
            with gr.Row():
                upload = gr.UploadButton(
                    "Ladda upp skrivelse (PDF, DOCX, TXT)", file_types=UPLOAD_TYPES, size="md", elem_id="ua-upload"
                )
                send = gr.Button("Skicka", variant="primary", elem_id="ua-send")
            with gr.Row():
                download = gr.HTML("", elem_id="ua-download")
                submit_review = gr.Button("Skicka på granskning", elem_id="ua-submit-review", size="md")
            chat_status = gr.Markdown(elem_id="ua-chat-status")
        with gr.Column(scale=5, min_width=360):
            with gr.Tabs():
                with gr.Tab("Källor", id="kallor"):
                    sources = gr.Radio(choices=[], label="Utkastets källor", elem_id="ua-sources")
                    with gr.Accordion("Uteslut dokument och skriv om", open=False):
                        exclude = gr.CheckboxGroup(choices=[], label="Dokument att utesluta", elem_id="ua-exclude")
                        exclude_btn = gr.Button("Skriv om utan markerade", size="sm")
                with gr.Tab("Jämförelse", id="jamforelse", elem_id="ua-compare-tab") as compare_tab:
                    compare_btn = gr.Button("Visa jämförelse för utkastet", size="sm", elem_id="ua-compare-btn")
                    compare_view = gr.HTML("", elem_id="ua-compare")
                    picks = gr.CheckboxGroup(
                        choices=[], label="Stycken att bygga utkastet av", elem_id="ua-picks",
                        info="Markera de stycken som passar; utkastet skrivs av exakt dem, med flaggor för lokala uppgifter.",
                    )
                    compose_btn = gr.Button("Skriv utkast av valda stycken", variant="primary", elem_id="ua-compose")
                with gr.Tab("Att göra", id="attgora"):
                    checklist = gr.CheckboxGroup(
                        choices=[], label="Flaggor att åtgärda", elem_id="ua-checklist",
                        info="Bocka av när du har åtgärdat en flagga; det sparas med versionen och visas vid godkännandet.",
                    )
            passage = gr.HTML(empty_sources_html(), elem_id="ua-passage")
    # Filled by the page script when a citation link is clicked ("turn-n|nonce"); hidden by CSS
    # because Gradio does not wire events of components rendered invisible.
    cite_target = gr.Textbox(elem_id="ua-cite-target", container=False, show_label=False)

    outputs = [chatbot, state, sources, checklist, exclude, download, compare_view, picks]

    def _finish(state: chat.ChatState, user: User):
        """Persist the conversation and export the Word file once a turn is done."""
        state.conversation_id = ctx.review.save_conversation(
            user, state.model_dump(mode="json"), state.title, state.conversation_id
        )
        if state.draft is None:
            return ""
        return ctx.download_link(user, ctx.export_docx(state.draft, user, state.title, state.conversation_id))

    def on_send(text: str, district_value: str | None, state: chat.ChatState, request: gr.Request):
        user = ctx.require(request, *DRAFTING)
        if not text or not text.strip():
            raise gr.Error("Skriv ett meddelande eller klistra in en skrivelse först.")
        if ctx.status is not None and not ctx.status.finished:
            gr.Info("Kunskapsbanken indexeras fortfarande; utkastet startar när den är klar.")
        ctx.wait_until_indexed()
        previous_district = state.district
        for state in chat.respond(ctx.assistant, state, text, district_value):
            yield (*_chat_outputs(ctx, state), "", gr.skip())
        path = _finish(state, user)
        new_district = state.district if state.district != previous_district else gr.skip()
        yield (*_chat_outputs(ctx, state, download=path), "", new_district)

    send.click(
        on_send,
        [message, district, state],
        [*outputs, message, district],
        concurrency_id="assistant",
        concurrency_limit=1,
        api_visibility="private",
    )
    message.submit(
        on_send,
        [message, district, state],
        [*outputs, message, district],
        concurrency_id="assistant",
        concurrency_limit=1,
        api_visibility="private",
    )

    def on_upload(path: str | None):
        text = _read_upload(ctx, path)
        from assistant.draft.inquiry import analyse_inquiry

        found = analyse_inquiry(text).district
        gr.Info(f"{Path(path).name} inläst ({len(text)} tecken). Kontrollera texten och tryck Skicka.")
        return text, (found if found else gr.skip())

    upload.upload(on_upload, upload, [message, district], api_visibility="private")

    def on_text_change(text: str, current: str | None):
        """Prefill the receiving district from a pasted inquiry (never overrides a choice already made)."""
        if current or not text or not chat.is_new_inquiry(text):
            return gr.skip()
        from assistant.draft.inquiry import analyse_inquiry

        found = analyse_inquiry(text).district
        return found if found else gr.skip()

    message.change(on_text_change, [message, district], district, api_visibility="private", show_progress="hidden")

    def on_source(key: str | None, state: chat.ChatState):
        if not key:
            return gr.skip()
        c = state.sources.get(key.split("|", 1)[0])
        if c is None:
            return empty_sources_html()
        return passage_html(ctx.assistant.store.get(c.doc_id), c)

    sources.change(on_source, [sources, state], passage, api_visibility="private", show_progress="hidden")
    cite_target.change(on_source, [cite_target, state], passage, api_visibility="private", show_progress="hidden")

    def on_exclude(doc_ids: list[str], state: chat.ChatState, request: gr.Request):
        user = ctx.require(request, *DRAFTING)
        if not doc_ids or state.draft is None:
            raise gr.Error("Markera minst ett dokument att utesluta.")
        for state in chat.exclude_doc_ids(ctx.assistant, state, doc_ids):
            yield _chat_outputs(ctx, state)
        yield _chat_outputs(ctx, state, download=_finish(state, user))

    exclude_btn.click(
        on_exclude, [exclude, state], outputs, concurrency_id="assistant", concurrency_limit=1, api_visibility="private"
    )

    def on_compare(state: chat.ChatState, request: gr.Request):
        ctx.require(request, *DRAFTING)
        if state.draft is not None and state.comparison is None:
            chat.ensure_comparison(ctx.assistant, state)
        return (state, *_comparison_outputs(state))

    for trigger in (compare_tab.select, compare_btn.click):
        trigger(on_compare, state, [state, compare_view, picks], concurrency_id="assistant", concurrency_limit=1, api_visibility="private")

    def on_compose(keys: list[str], state: chat.ChatState, request: gr.Request):
        user = ctx.require(request, *DRAFTING)
        if state.comparison is None:
            raise gr.Error("Öppna jämförelsen först.")
        if not keys:
            raise gr.Error("Markera minst ett stycke i jämförelsen.")
        for state in chat.compose_picked(ctx.assistant, state, keys):
            yield _chat_outputs(ctx, state)
        yield _chat_outputs(ctx, state, download=_finish(state, user))

    compose_btn.click(
        on_compose, [picks, state], outputs, concurrency_id="assistant", concurrency_limit=1, api_visibility="private"
    )

    def on_tick(done: list[str], state: chat.ChatState, request: gr.Request):
        user = ctx.require(request, *DRAFTING)
        chat.tick(state, done or [])
        return state, _finish(state, user)

    checklist.input(on_tick, [checklist, state], [state, download], api_visibility="private", show_progress="hidden")

    def on_submit_review(state: chat.ChatState, request: gr.Request):
        from assistant.draft.render import to_markdown

        user = ctx.user(request)
        if state.draft is None:
            raise gr.Error("Det finns inget utkast att skicka på granskning.")
        markdown = state.edited_markdown or to_markdown(state.draft)
        try:
            if state.review_draft_id is None:
                state.review_draft_id = ctx.review.create_draft(
                    user,
                    state.title,
                    markdown,
                    district=state.district,
                    inquiry_text=state.inquiry_text,
                    draft_json=state.draft.model_dump_json(),
                    conversation_id=state.conversation_id,
                )
            elif ctx.review.version(user, state.review_draft_id).markdown != markdown:
                ctx.review.add_version(user, state.review_draft_id, markdown, state.draft.model_dump_json())
            ctx.review.submit(user, state.review_draft_id)
        except AssistantError as err:
            raise denied(err) from err
        ctx.review.save_conversation(user, state.model_dump(mode="json"), state.title, state.conversation_id)
        return state, f"Utkast {state.review_draft_id} är skickat på granskning."

    submit_review.click(on_submit_review, state, [state, chat_status], api_visibility="private")

    def list_history(request: gr.Request, search: str = ""):
        user = ctx.user(request)
        if user is None:
            return gr.update(choices=[])
        items = [
            (f"{c.title} · ändrad {stockholm_time(c.updated_at)}", c.id) for c in ctx.review.conversations(user, search or "")
        ]
        return gr.update(choices=items, value=None)

    def on_search_history(search: str, request: gr.Request):
        return list_history(request, search)

    history_search.change(on_search_history, history_search, history, api_visibility="private", show_progress="hidden")

    def on_open(conversation_id: int | None, request: gr.Request):
        user = ctx.user(request)
        if conversation_id is None:
            raise gr.Error("Välj ett samtal att öppna.")
        try:
            saved = ctx.review.conversation(user, int(conversation_id))
        except AssistantError as err:
            raise denied(err) from err
        state = chat.ChatState.model_validate(saved.state)
        state.conversation_id = saved.id
        path = ctx.export_docx(state.draft, user, state.title, saved.id) if state.draft is not None else None
        return (*_chat_outputs(ctx, state, download=ctx.download_link(user, path)), state.district)

    open_btn.click(on_open, history, [*outputs, district], api_visibility="private")

    def on_new():
        state = chat.ChatState()
        return (*_chat_outputs(ctx, state, download=""), None)

    new_btn.click(on_new, None, [*outputs, district], api_visibility="private")
    return {"history": history, "list_history": list_history, "state": state}


# ================================================================================================
# knowledge tab
# ================================================================================================
def build_knowledge_tab(ctx: AppContext) -> dict[str, Any]:
    gr.Markdown(
        "### Kunskapsbank\nLägg till tidigare tjänsteutlåtanden, skrivelser och riktlinjer (PDF, DOCX, TXT, HTML, "
        f"Markdown; högst {ctx.settings.max_upload_mb:g} MB per fil). Personnummer maskeras innan något sparas, "
        "och den uppladdade filen raderas när den är inläst."
    )
    with gr.Row():
        files = gr.File(label="Dokument", file_count="multiple", file_types=KNOWLEDGE_TYPES, scale=3, elem_id="ua-kb-files")
        with gr.Column(scale=1):
            replace_ok = gr.Checkbox(
                label="Ersätt tidigare versioner (samma filnamn, eller samma diarienummer, typ och stadsdel)",
                value=False,
                elem_id="ua-kb-replace",
            )
            ingest_btn = gr.Button("Lägg till i kunskapsbanken", variant="primary", elem_id="ua-kb-ingest")
            report = gr.Markdown(elem_id="ua-kb-report")
    with gr.Row():
        query = gr.Textbox(label="Filtrera (titel, stadsdel, diarienummer, typ)", scale=3)
        refresh = gr.Button("Uppdatera", size="sm", scale=0)
    table = gr.Dataframe(
        headers=["Titel", "Stadsdel", "Datum", "Typ", "Dnr", "Anmärkning"],
        interactive=False,
        wrap=True,
        column_widths=["38%", "14%", "11%", "13%", "12%", "12%"],
        elem_id="ua-kb-table",
    )
    with gr.Row():
        to_remove = gr.Dropdown(choices=[], label="Ta bort dokument", scale=3, elem_id="ua-kb-remove")
        with gr.Column(scale=1):
            confirm_remove = gr.Checkbox(label="Ja, ta bort dokumentet ur kunskapsbanken", value=False, elem_id="ua-kb-confirm")
            remove_btn = gr.Button("Ta bort", variant="stop", elem_id="ua-kb-remove-btn")

    def rows(filter_text: str = ""):
        needle = (filter_text or "").lower().strip()
        out, choices = [], []
        for doc in sorted(ctx.assistant.store.all(), key=lambda d: (d.metadata.district or "", d.metadata.date or "")):
            m = doc.metadata
            notes = ", ".join(x for x in (f"OCR: {doc.repairs} rättelser" if doc.ocr_damaged else "", "syntetiskt" if m.synthetic else "") if x)
            title = m.title or Path(doc.source).name
            row = [title, m.district or "", m.date or "", m.kind, m.diarienummer or "", notes]
            if needle and needle not in " ".join([*row, ", ".join(m.parties)]).lower():
                continue
            out.append(row)
            choices.append((f"{title} ({m.district or 'okänd stadsdel'}, {m.date or 'odaterat'})", doc.doc_id))
        return out, gr.update(choices=choices, value=None)

    def on_ingest(paths: list[str] | None, replace: bool, filter_text: str, request: gr.Request, progress=gr.Progress()):
        user = ctx.require(request, "admin")
        if not paths:
            raise gr.Error("Välj minst en fil.")
        ctx.wait_until_indexed()
        accepted, refused, kept, replacing = [], [], [], {}
        try:
            for p in map(Path, paths):
                if not p.is_file():
                    refused.append((p.name, "filen finns inte längre på servern (redan inläst?): välj den igen"))
                    continue
                if p.suffix.lower() not in KNOWLEDGE_TYPES:
                    refused.append((p.name, f"filtypen {p.suffix or '(ingen)'} stöds inte"))
                    continue
                if p.stat().st_size > ctx.max_upload_bytes:
                    refused.append((p.name, f"större än {ctx.settings.max_upload_mb:g} MB"))
                    continue
                same, older = ctx.assistant.stored_versions(p)
                if same is not None:
                    kept.append((p.name, "finns redan i kunskapsbanken (samma innehåll)"))
                elif older and not replace:
                    names = "; ".join(f"{d.metadata.title or Path(d.source).name} ({d.metadata.date or 'odaterat'})" for d in older)
                    kept.append((p.name, f"ersätter {names}: markera ”Ersätt tidigare versioner” och lägg till igen"))
                else:
                    accepted.append(p)
                    replacing[str(p)] = older
            result = None
            if accepted:
                progress(0, desc="Läser in …")
                result = ctx.assistant.ingest(
                    accepted, progress=lambda done, total, name: progress((done, total), desc=f"Läser in {Path(name).name}")
                )
                refused += [(Path(p).name, reason) for p, reason in result.failed]
                failed = {str(p) for p, _ in result.failed}
                for path, older in replacing.items():
                    if path in failed:
                        continue  # the old version stays when its replacement could not be read
                    for d in older:
                        ctx.assistant.remove(d.doc_id)
                        ctx.review.log(user, "ersatte dokument", d.doc_id, f"med {Path(path).name}")
        finally:
            for p in paths:
                remove_upload(p)  # the index keeps the redacted text; the raw upload is not kept
        lines = []
        if result:
            swapped = sum(bool(v) for k, v in replacing.items())
            lines.append(
                f"**{len(result.added)} nya, {swapped + len(result.replaced)} ersatta, {len(result.unchanged)} oförändrade.**"
            )
        for name, reason in kept:
            lines.append(f"- ℹ {chat.md_escape(name)}: {chat.md_escape(reason)}")
        for name, reason in refused:
            lines.append(f"- ⚠ {chat.md_escape(name)}: {chat.md_escape(reason)}")
        ctx.review.log(user, "lade till dokument", None, f"{len(accepted)} filer, {len(refused)} fel, {len(kept)} ej inlästa")
        return "\n".join(lines), False, None, *rows(filter_text)

    def on_remove(doc_id: str | None, confirmed: bool, filter_text: str, request: gr.Request):
        user = ctx.require(request, "admin")
        if not doc_id:
            return "⚠ Välj ett dokument att ta bort.", False, gr.skip(), gr.skip()
        if not confirmed:
            return "⚠ Bekräfta borttagningen genom att markera rutan först; inget är borttaget.", False, gr.skip(), gr.skip()
        removed = ctx.assistant.remove(doc_id)
        ctx.review.log(user, "tog bort dokument", doc_id)
        return (f"Dokument {doc_id} är borttaget." if removed else f"Dokument {doc_id} fanns inte."), False, *rows(filter_text)

    # Ingest and removal change the indexes: they take the one "assistant" slot drafting also uses.
    ingest_btn.click(
        on_ingest, [files, replace_ok, query], [report, replace_ok, files, table, to_remove], api_visibility="private",
        concurrency_id="assistant", concurrency_limit=1,
    )
    remove_btn.click(
        on_remove, [to_remove, confirm_remove, query], [report, confirm_remove, table, to_remove], api_visibility="private",
        concurrency_id="assistant", concurrency_limit=1,
    )
    query.change(rows, query, [table, to_remove], api_visibility="private", show_progress="hidden")
    refresh.click(rows, query, [table, to_remove], api_visibility="private")
    return {"rows": rows, "table": table, "to_remove": to_remove}


# ================================================================================================
# the app
# ================================================================================================
def build_app(
    assistant,
    users: UserStore | None = None,
    review: ReviewStore | None = None,
    status: IndexingStatus | None = None,
) -> gr.Blocks:
    """The whole app. ``status`` is the background indexing (see :mod:`assistant.ui.startup`)."""
    settings = assistant.settings
    users = users or UserStore(settings.resolved_users_file)
    review = review or ReviewStore(settings.db_path)
    ctx = AppContext(assistant, users, review, status)

    with gr.Blocks(title="Utlåtandeassistenten", analytics_enabled=False) as demo:
        with gr.Row(elem_id="ua-header"):
            gr.Markdown(
                "# Utlåtandeassistenten\nUtkast till tjänsteutlåtanden med källhänvisningar till hur andra "
                "stadsdelar har svarat. Utkastet är ett underlag: kontrollera alltid mot källorna."
            )
            who = gr.Markdown(elem_id="ua-user")
        banner = gr.HTML(elem_id="ua-banner")
        timer = gr.Timer(1.0, active=status is not None)
        with gr.Tabs():
            with gr.Tab("Utkast", id="chat"):
                chat_parts = build_chat_tab(ctx)
            with gr.Tab("Granskning", id="review"):
                review_parts = build_review_tab(ctx)
            # Gradio cannot hide a tab after page load, so a tab's body is shown or replaced by a
            # notice per role; the handlers check the role again on the server.
            with gr.Tab("Kunskapsbank", id="knowledge"):
                kb_denied = gr.Markdown("Kunskapsbanken hanteras av en administratör (rollen admin).", elem_id="ua-kb-denied")
                with gr.Column(visible=False) as kb_body:
                    kb_parts = build_knowledge_tab(ctx)
            with gr.Tab("Utvärdering", id="eval"):
                eval_denied = gr.Markdown("Utvärderingar körs av rollen utvärderare eller admin.")
                with gr.Column(visible=False) as eval_body:
                    from assistant.ui.eval_tab import build_eval_tab

                    def can_run(request: gr.Request) -> bool:
                        user = ctx.user(request)
                        return user is not None and user.role in ("utvärderare", "admin")

                    build_eval_tab(assistant, can_run=can_run)

        def banner_now():
            parts = []
            if ctx.local:
                parts.append(
                    banner_html(
                        "warn",
                        "Inga användare är konfigurerade: du arbetar som en lokal användare med administratörsrätt. "
                        "Lägg till användare med ”assistant users add NAMN --role ROLL” och starta om appen "
                        "för att kräva inloggning.",
                    )
                )
            if status is not None:
                kind, text = status.message()
                if text:
                    parts.append(banner_html(kind, text))
            return "".join(parts)

        def tick():
            return banner_now(), gr.Timer(active=status is not None and not status.finished)

        timer.tick(tick, None, [banner, timer], api_visibility="private", show_progress="hidden")

        def on_load(request: gr.Request):
            user = ctx.user(request)
            role = user.role if user else "okänd"
            name = user.name if user else "okänd"
            local = " (ingen inloggning konfigurerad)" if user == LOCAL_USER else ""
            reviewer = user is not None and user.role in ("avdelningschef", "admin")
            is_admin = user is not None and user.is_admin
            evaluator = user is not None and user.role in ("utvärderare", "admin")
            kb_rows, kb_choices = kb_parts["rows"]("")
            list_drafts, status_filter, _ = review_parts["refresh"]
            drafts = list_drafts("för granskning" if reviewer else "alla", request)
            logout = "" if ctx.local or user is None else " · [Logga ut](/logout)"
            return (
                f"Inloggad som **{chat.md_escape(name)}** · {role}{local}{logout}",
                banner_now(),
                gr.Markdown(visible=not is_admin),
                gr.Column(visible=is_admin),
                gr.Markdown(visible=not evaluator),
                gr.Column(visible=evaluator),
                gr.Button(visible=reviewer),
                gr.Button(visible=reviewer),
                chat_parts["list_history"](request),
                kb_rows,
                kb_choices,
                *drafts,
            )

        demo.load(
            on_load,
            None,
            [
                who,
                banner,
                kb_denied,
                kb_body,
                eval_denied,
                eval_body,
                review_parts["approve_btn"],
                review_parts["return_btn"],
                chat_parts["history"],
                kb_parts["table"],
                kb_parts["to_remove"],
                *review_parts["refresh"][2],
            ],
            api_visibility="private",
            show_progress="hidden",
        )

        # ---- the API: /draft (inquiry_text, district) -> Markdown with its source list ----------
        def draft_api(inquiry_text: str, district: str | None, request: gr.Request) -> str:
            """Draft a tjänsteutlåtande for ``district``; returns Markdown with numbered sources."""
            from assistant.draft.render import to_markdown

            user = ctx.require(request, *DRAFTING)
            if not inquiry_text or not inquiry_text.strip():
                raise gr.Error("inquiry_text är tomt.")
            if len(inquiry_text.encode("utf-8")) > ctx.max_upload_bytes:
                raise gr.Error(f"inquiry_text är större än {ctx.settings.max_upload_mb:g} MB.")
            ctx.wait_until_indexed()
            draft = assistant.draft(inquiry_text, district or None)
            review.log(user, "utkast via API", district)
            return to_markdown(draft)

        gr.api(draft_api, api_name="draft", concurrency_id="assistant", concurrency_limit=1)

    demo.ctx = ctx  # for tests and app.py
    return demo


def launch(demo: gr.Blocks, settings, *, block: bool = True) -> tuple[Any, str]:
    """Serve the app (login, sessions and checked downloads from :mod:`assistant.ui.server`) with
    its theme, script and limits: one place for every serving option. Returns (uvicorn server, URL);
    with ``block`` it serves until stopped, otherwise in a background thread (tests)."""
    import threading
    import time

    import uvicorn

    from assistant.ui.server import create_server

    demo.queue(default_concurrency_limit=4)
    app = create_server(
        demo,
        max_file_size=f"{settings.max_upload_mb:g}mb",
        theme=theme(),
        css=CSS,
        js=JS,
        footer_links=[],  # the API stays (/draft, /review); its English docs link does not belong in a Swedish UI
        show_error=True,
    )
    server = uvicorn.Server(uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="web-server", daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.05)
    if not server.started:
        raise AssistantError(f"Webbservern kunde inte starta på {settings.host}:{settings.port} (upptagen port?).")
    url = f"http://{settings.host}:{settings.port}"
    print(f"Running on local URL:  {url}", flush=True)
    if block:
        try:
            thread.join()
        except KeyboardInterrupt:
            server.should_exit = True
            thread.join()
    return server, url
