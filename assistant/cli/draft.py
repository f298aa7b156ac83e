"""``assistant draft``: draft a tjänsteutlåtande answering an inquiry file or text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from assistant.cli import app
from assistant.errors import AssistantError
from assistant.models import Draft
from assistant.settings import get_settings


def draft_record(draft: Draft) -> dict:
    """The JSON ``draft --json`` prints: sections with citation ids and flags, and the sources."""
    return {
        "district": draft.district,
        "inquiry": draft.inquiry.model_dump(exclude={"text"}),
        "sections": [
            {
                "heading": s.heading,
                "paragraphs": [
                    {
                        "text": p.text,
                        "role": p.role,
                        "citations": p.citations,
                        "flags": [f.model_dump() for f in p.flags],
                        "support": p.support,
                    }
                    for p in s.paragraphs
                ],
            }
            for s in draft.sections
        ],
        "citations": [
            c.model_dump(include={"id", "source", "doc_id", "district", "date", "diarienummer", "section", "start", "end", "quote"})
            for c in draft.citations
        ],
        "no_precedent": draft.no_precedent,
        "flags": [f.model_dump() for f in draft.flags],
        "nearest": [{"doc_id": p.doc_id, "district": p.district, "date": p.date, "title": p.title} for p in draft.nearest],
        "drafter": draft.drafter,
        "excluded_doc_ids": draft.excluded_doc_ids,
    }


@app.command()
def draft(
    file: Path | None = typer.Argument(None, help="The inquiry (skrivelse, motion, remiss): TXT, PDF, DOCX, HTML or MD."),
    text: str | None = typer.Option(None, "--text", help="The inquiry as text instead of a file ('-' reads stdin)."),
    district: str | None = typer.Option(None, "--district", "-d", help="Receiving district (default: from the text)."),
    drafter: str | None = typer.Option(None, "--drafter", help="precedent (default, no LLM) or llm."),
    exclude_doc: list[str] = typer.Option([], "--exclude-doc", help="Document id never to use as precedent (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the draft as JSON."),
    docx: Path | None = typer.Option(None, "--docx", help="Also write the draft as a Word file here."),
) -> None:
    """Draft an answer that cites how other districts answered the same inquiry."""
    from assistant.services import Assistant

    settings = get_settings()
    if (file is None) == (text is None):
        typer.echo("Fel: ange antingen en FIL eller --text (inte båda).", err=True)
        raise typer.Exit(2)
    if drafter is not None and drafter not in ("precedent", "llm"):
        typer.echo(f"Fel: okänd --drafter {drafter!r}; välj precedent eller llm.", err=True)
        raise typer.Exit(2)
    assistant = Assistant(settings)
    try:
        if file is not None:
            inquiry_text = assistant.read_text(file)
        else:
            inquiry_text = sys.stdin.read() if text == "-" else str(text)
        if not inquiry_text.strip():
            typer.echo(f"Fel: {file or '--text'}: inquiry is empty.", err=True)
            raise typer.Exit(2)
        assistant.ensure_knowledge_indexed()
        result: Draft | None = None
        for item in assistant.stream_draft(inquiry_text, district=district, drafter=drafter, exclude_doc_ids=exclude_doc):
            if isinstance(item, Draft):
                result = item
            elif not as_json and (drafter or settings.drafter) == "llm":
                typer.echo(item, nl=False, err=True)  # live tokens on stderr; the verified draft follows on stdout
    except AssistantError as err:
        typer.echo(f"Fel: {err}", err=True)
        raise typer.Exit(1) from err
    assert result is not None
    if docx is not None:
        assistant.export_docx(result, docx)
    if as_json:
        typer.echo(json.dumps(draft_record(result), ensure_ascii=False, indent=2))
    else:
        typer.echo(assistant.to_markdown(result))
    if docx is not None:
        typer.echo(f"Word-fil skriven: {docx}", err=True)
