"""``assistant inspect / ingest / documents / remove``: look at, add and remove documents."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import typer

from assistant.cli import app
from assistant.errors import AssistantError, IngestError
from assistant.models import ParsedDocument
from assistant.settings import get_settings


def _assistant():
    from assistant.services import Assistant

    return Assistant(get_settings())


def _quiet_libraries() -> None:
    # pypdf logs every recoverable oddity of a damaged PDF; the per-file reason line says what matters.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(1)


@app.command()
def inspect(
    file: Path = typer.Argument(..., help="A document file (PDF, DOCX, TXT, HTML, Markdown)."),
    as_json: bool = typer.Option(False, "--json", help="Print metadata, sections and text as JSON."),
) -> None:
    """Show what ingest would make of a file (metadata, sections, repaired text); stores nothing."""
    _quiet_libraries()
    try:
        doc = _assistant().inspect(file)
    except IngestError as err:
        raise _fail(f"Fel: {err}") from err
    if as_json:
        typer.echo(json.dumps(inspection(doc), ensure_ascii=False, indent=2))
    else:
        typer.echo(summary(doc))


def inspection(doc: ParsedDocument) -> dict:
    """The ``inspect --json`` payload."""
    return {
        "metadata": doc.metadata.model_dump(),
        "sections": [{"heading": s.heading, "start": s.start, "end": s.end} for s in doc.sections],
        "text": doc.text,
        "repairs": doc.repairs,
        "redactions": doc.redactions,
    }


def summary(doc: ParsedDocument) -> str:
    """A readable Swedish summary of a parsed document."""
    m = doc.metadata
    rows = [
        ("Fil", doc.source),
        ("Dokumenttyp", m.kind),
        ("Titel", m.title),
        ("Stadsdel", m.district),
        ("Datum", m.date),
        ("Diarienummer", m.diarienummer),
        ("Partier", ", ".join(m.parties)),
        ("Skrivelse från", ", ".join(m.inquiry_authors)),
        ("Handläggare", m.handlaggare),
        ("Undertecknat av", ", ".join(m.signatories)),
        ("Lagrum", ", ".join(m.law_references)),
        ("Verklig allmän handling", "ja" if m.real_public_record else "nej"),
        ("Syntetiskt", "ja" if m.synthetic else None),
        ("Tecken", str(len(doc.text))),
        ("Sidor", str(len(doc.page_starts)) if doc.page_starts else None),
        ("OCR-skadad", "ja" if doc.ocr_damaged else "nej"),
        ("OCR-rättelser", str(doc.repairs)),
        ("Borttagna personnummer", str(doc.redactions)),
    ]
    lines = [f"{label + ':':<26}{value}" for label, value in rows if value]
    lines.append(f"Avsnitt ({len(doc.sections)}):")
    for s in doc.sections:
        canonical = f"  → {s.canonical}" if s.canonical != s.heading else ""
        lines.append(f"  {s.start:>6}–{s.end:<6} {s.heading}{canonical}")
    return "\n".join(lines)


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders (folders are read recursively)."),
) -> None:
    """Add documents to the archive: read, repair, redact, parse, store and index them."""
    from tqdm import tqdm

    _quiet_libraries()
    assistant = _assistant()
    bar = tqdm(total=0, unit="fil", file=sys.stderr, disable=None, dynamic_ncols=True)

    def progress(done: int, total: int, name: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(name[:40], refresh=False)
        bar.refresh()

    try:
        report = assistant.ingest(paths, progress=progress)
    except AssistantError as err:
        bar.close()
        raise _fail(f"Fel: {err}") from err
    bar.close()
    for path, doc_id in report.duplicates:
        typer.echo(f"Dubblett: {path}: samma innehåll som det lagrade dokumentet {doc_id}; hoppades över", err=True)
    for path, reason in report.failed:
        typer.echo(f"Misslyckades: {path}: {reason}", err=True)
    typer.echo(
        f"Tillagda: {len(report.added)}, ersatta: {len(report.replaced)}, "
        f"oförändrade: {len(report.unchanged)}, borttagna: {len(report.removed)}, "
        f"misslyckade: {len(report.failed)}" + (f", dubbletter: {len(report.duplicates)}" if report.duplicates else "")
    )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def documents(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List the stored documents with their metadata."""
    docs = _assistant().store.all()
    if as_json:
        payload = [
            {"doc_id": d.doc_id, "source": d.source, "content_hash": d.content_hash, **d.metadata.model_dump()}
            for d in docs
        ]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not docs:
        typer.echo("Inga dokument i arkivet. Lägg till med: assistant ingest MAPP")
        return
    for d in docs:
        m = d.metadata
        fields = [m.kind, m.district or "okänd stadsdel", m.date or "odaterat", m.diarienummer or ""]
        typer.echo(f"{d.doc_id:<32} " + " · ".join(f for f in fields if f) + (f"  {m.title}" if m.title else ""))
    typer.echo(f"{len(docs)} dokument")


@app.command()
def remove(doc_id: str = typer.Argument(..., help="The document's id (see `assistant documents`).")) -> None:
    """Remove a document from the archive and from the search index."""
    assistant = _assistant()
    if doc_id not in assistant.store:
        raise _fail(f"Fel: inget dokument med id {doc_id!r} (se `assistant documents`)")
    assistant.remove(doc_id)
    typer.echo(f"Borttaget: {doc_id}")
