"""The Kunskapsbank tab (admin): add documents (a revised version replaces the old after a
confirmation), list them, remove them (after a confirmation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from assistant.ui import chat
from assistant.ui.context import AppContext, remove_upload

KNOWLEDGE_TYPES = [".pdf", ".docx", ".txt", ".html", ".htm", ".md"]


def build_knowledge_tab(ctx: AppContext) -> dict[str, Any]:
    gr.Markdown(
        "### Kunskapsbank\nLägg till tidigare tjänsteutlåtanden, skrivelser och riktlinjer (PDF, DOCX, TXT, HTML, "
        f"Markdown; högst {ctx.settings.app.max_upload_mb:g} MB per fil). Personnummer maskeras innan något sparas, "
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
                    refused.append((p.name, f"större än {ctx.settings.app.max_upload_mb:g} MB"))
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
            return "⚠ Bekräfta borttagningen genom att markera rutan först; ingenting har tagits bort.", False, gr.skip(), gr.skip()
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
