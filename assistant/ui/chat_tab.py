"""The Utkast tab: the chat with the draft, its sources, the comparison view and the checklist.

Conversation logic lives in :mod:`assistant.ui.chat` (no Gradio); this module lays it out and wires
events. Every handler that changes state looks up the logged-in user and lets the services decide.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.services.review import User
from assistant.ui import chat, workbench
from assistant.ui.context import DRAFTING, AppContext, denied, remove_upload
from assistant.ui.html import citation_label, comparison_html, empty_sources_html, passage_html, pick_label, stockholm_time

UPLOAD_TYPES = [".pdf", ".docx", ".txt"]


def _chat_outputs(ctx: AppContext, state: chat.ChatState, download: Any = gr.skip()) -> tuple:
    """(chatbot, state, sources radio, checklist, exclude choices, download, comparison, picks) for a state."""
    sources = state.current_sources()
    choices = [(citation_label(c), key) for key, c in sources]
    docs = {}
    for _, c in sources:
        docs.setdefault(c.doc_id, f"{c.title or Path(c.source).name} ({c.district or 'okänd stadsdel'})")
    items = workbench.checklist(state.draft)
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
    keys = workbench.register_comparison_sources(state)
    comparison = state.comparison
    picks = [(pick_label(r.label, c), c.key) for r in comparison.rows for c in r.cells] if comparison else []
    return comparison_html(comparison, keys, state.picked, drafted=state.draft is not None), gr.update(choices=picks, value=list(state.picked))


def _read_upload(ctx: AppContext, path: str | None) -> str:

    from assistant.services.drafting import redacted

    if not path:
        return ""
    p = Path(path)
    try:
        if p.suffix.lower() not in UPLOAD_TYPES:
            raise gr.Error(f"{p.name}: filtypen {p.suffix or '(ingen)'} stöds inte här; ladda upp PDF, DOCX eller TXT.")
        return redacted(ctx.assistant.read_text(p, ctx.max_upload_bytes))
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

    def _stream(turns, user: User):
        """A turn's states as the chat's outputs; the last one saved, with its Word file."""
        for state in turns:
            yield _chat_outputs(ctx, state)
        yield _chat_outputs(ctx, state, download=_finish(state, user))

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

    for trigger in (send.click, message.submit):
        trigger(
            on_send,
            [message, district, state],
            [*outputs, message, district],
            concurrency_id="assistant",
            concurrency_limit=1,
            api_visibility="private",
        )

    def on_upload(path: str | None):
        text = _read_upload(ctx, path)
        from assistant.services.drafting import analyse_inquiry

        found = analyse_inquiry(text).district
        gr.Info(f"{Path(path).name} inläst ({len(text)} tecken). Kontrollera texten och tryck Skicka.")
        return text, (found if found else gr.skip())

    upload.upload(on_upload, upload, [message, district], api_visibility="private")

    def on_text_change(text: str, current: str | None):
        """Prefill the receiving district from a pasted inquiry (never overrides a choice already made)."""
        if current or not text or not chat.is_new_inquiry(text):
            return gr.skip()
        from assistant.services.drafting import analyse_inquiry

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
        yield from _stream(chat.exclude_doc_ids(ctx.assistant, state, doc_ids), user)

    exclude_btn.click(
        on_exclude, [exclude, state], outputs, concurrency_id="assistant", concurrency_limit=1, api_visibility="private"
    )

    def on_compare(state: chat.ChatState, request: gr.Request):
        ctx.require(request, *DRAFTING)
        if state.draft is not None and state.comparison is None:
            workbench.ensure_comparison(ctx.assistant, state)
        return (state, *_comparison_outputs(state))

    for trigger in (compare_tab.select, compare_btn.click):
        trigger(on_compare, state, [state, compare_view, picks], concurrency_id="assistant", concurrency_limit=1, api_visibility="private")

    def on_compose(keys: list[str], state: chat.ChatState, request: gr.Request):
        user = ctx.require(request, *DRAFTING)
        if state.comparison is None:
            raise gr.Error("Öppna jämförelsen först.")
        if not keys:
            raise gr.Error("Markera minst ett stycke i jämförelsen.")
        yield from _stream(workbench.compose_picked(ctx.assistant, state, keys), user)

    compose_btn.click(
        on_compose, [picks, state], outputs, concurrency_id="assistant", concurrency_limit=1, api_visibility="private"
    )

    def on_tick(done: list[str], state: chat.ChatState, request: gr.Request):
        user = ctx.require(request, *DRAFTING)
        workbench.tick(state, done or [])
        return state, _finish(state, user)

    checklist.input(on_tick, [checklist, state], [state, download], api_visibility="private", show_progress="hidden")

    def on_submit_review(state: chat.ChatState, request: gr.Request):
        user = ctx.user(request)
        if state.draft is None:
            raise gr.Error("Det finns inget utkast att skicka på granskning.")
        markdown = state.edited_markdown or ctx.assistant.to_markdown(state.draft)
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
