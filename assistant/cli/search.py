"""``assistant search``: hybrid search over the indexed documents."""

from __future__ import annotations

import json

import typer

from assistant.cli import app
from assistant.errors import AssistantError
from assistant.models import DOCUMENT_KINDS, Passage, SearchFilters
from assistant.settings import get_settings

PASSAGE_FIELDS = ("source", "doc_id", "district", "date", "kind", "section", "start", "end", "score", "text")


def passage_record(p: Passage) -> dict:
    """The fields ``search --json`` prints for a passage."""
    return {name: getattr(p, name) for name in PASSAGE_FIELDS}


@app.command()
def search(
    query: str = typer.Argument(..., help="What to look for (Swedish, free text; law references work too)."),
    k: int = typer.Option(10, "-k", "--top", min=1, max=200, help="Number of passages."),
    district: str | None = typer.Option(None, "--district", help="Only this district (former names included)."),
    exclude_district: str | None = typer.Option(None, "--exclude-district", help="Leave this district out."),
    kind: str | None = typer.Option(None, "--kind", help=f"Document kind: {', '.join(DOCUMENT_KINDS)}."),
    party: str | None = typer.Option(None, "--party", help="Party abbreviation behind the inquiry (L, M, S, ...)."),
    date_from: str | None = typer.Option(None, "--from", help="Earliest date, YYYY[-MM[-DD]]."),
    date_to: str | None = typer.Option(None, "--to", help="Latest date, YYYY[-MM[-DD]]."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list of passages, best first."),
) -> None:
    """Search passages: keyword (Swedish BM25) and vector rankings fused, best first."""
    from assistant.services import Assistant

    if kind and kind not in DOCUMENT_KINDS:
        typer.echo(f"Fel: okänd --kind {kind!r}; välj en av {', '.join(DOCUMENT_KINDS)}", err=True)
        raise typer.Exit(2)
    filters = SearchFilters(
        district=district,
        exclude_district=exclude_district,
        kind=kind,
        party=party,
        date_from=date_from,
        date_to=date_to,
    )
    try:
        passages = Assistant(get_settings()).search(query, k=k, filters=filters)
    except AssistantError as err:
        typer.echo(f"Fel: {err}", err=True)
        raise typer.Exit(1) from err
    if as_json:
        typer.echo(json.dumps([passage_record(p) for p in passages], ensure_ascii=False, indent=2))
        return
    if not passages:
        typer.echo("Inga träffar.")
        return
    for i, p in enumerate(passages, start=1):
        where = " · ".join(x for x in (p.district, p.date, p.kind, p.section) if x)
        typer.echo(f"{i}. [{p.score:.4f}] {where}\n   {p.source} [{p.start}:{p.end}]")
        snippet = " ".join(p.text.split())
        typer.echo(f"   {snippet[:300]}{'…' if len(snippet) > 300 else ''}\n")
