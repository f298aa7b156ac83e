"""The Gradio app: the Utkast, Granskning, Kunskapsbank and Utvärdering tabs, ``/draft``, and serving.

The UI is a thin layer over :mod:`assistant.services`: each tab has its module (``chat_tab``,
``review_tab``, ``knowledge_tab``, ``eval_tab``), shared handler state is :class:`AppContext`,
escaping lives in :mod:`assistant.ui.html`, login and checked downloads in :mod:`assistant.ui.server`.
"""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from assistant.errors import AssistantError  # noqa: E402
from assistant.services.review import LOCAL_USER, ReviewStore, UserStore  # noqa: E402
from assistant.ui import chat  # noqa: E402
from assistant.ui.chat_tab import build_chat_tab  # noqa: E402
from assistant.ui.context import DRAFTING, AppContext  # noqa: E402
from assistant.ui.html import CSS, JS, banner_html, theme  # noqa: E402
from assistant.ui.knowledge_tab import build_knowledge_tab  # noqa: E402
from assistant.ui.review_tab import build_review_tab  # noqa: E402
from assistant.ui.startup import IndexingStatus  # noqa: E402


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
            user = ctx.require(request, *DRAFTING)
            if not inquiry_text or not inquiry_text.strip():
                raise gr.Error("inquiry_text är tomt.")
            if len(inquiry_text.encode("utf-8")) > ctx.max_upload_bytes:
                raise gr.Error(f"inquiry_text är större än {ctx.settings.app.max_upload_mb:g} MB.")
            ctx.wait_until_indexed()
            draft = assistant.draft(inquiry_text, district or None)
            review.log(user, "utkast via API", district)
            return assistant.to_markdown(draft)

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
        max_file_size=f"{settings.app.max_upload_mb:g}mb",
        theme=theme(),
        css=CSS,
        js=JS,
        footer_links=[],  # the API stays (/draft, /review); its English docs link does not belong in a Swedish UI
        show_error=True,
    )
    server = uvicorn.Server(uvicorn.Config(app, host=settings.app.host, port=settings.app.port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="web-server", daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.05)
    if not server.started:
        raise AssistantError(f"Webbservern kunde inte starta på {settings.app.host}:{settings.app.port} (upptagen port?).")
    url = f"http://{settings.app.host}:{settings.app.port}"
    print(f"Running on local URL:  {url}", flush=True)
    if block:
        try:
            thread.join()
        except KeyboardInterrupt:
            server.should_exit = True
            thread.join()
    return server, url
