"""Markdown rendering of a :class:`~assistant.models.Draft`: what the app shows and the CLI prints.

Citations appear as ``[n]`` in the text and in a numbered source list; flags are visible next to the
paragraph they concern so a reviewer cannot miss an unsupported sentence or a fact to confirm.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from assistant.draft import districts
from assistant.models import Citation, Draft, Flag, Paragraph
from assistant.text import CONFIRM

FLAG_LABELS: dict[str, str] = {
    "unsupported": "⚠ Ej styrkt av källan",
    "att_bekrafta": f"☐ {CONFIRM}",
    "invalid_citation": "⚠ Ogiltig källhänvisning borttagen",
    "placeholder": "✎ Fyll i",
    "no_precedent": "ℹ Inget prejudikat",
    "outdated_law": "⚖ Äldre lagrum",
    "att_uppdatera": "↻ Uppdatera (eget tidigare svar)",
    "suspect_law": "⚖ Troligen felaktigt lagrum",
    "position": "☐ Ståndpunkt att besluta",
}

_HASH_TAIL = re.compile(r"_(?=[0-9]*[a-f])[0-9a-f]{8,}$")
"""A content-hash tail on a file name ("001_d439524d20ce7a6b"); a date ("_20240523") has no letter."""

HEADER_PLACEHOLDERS: tuple[tuple[str, str], ...] = (
    ("Handläggare", "[HANDLÄGGARE]"),
    ("Telefon", "[TELEFON]"),
    ("Datum", "[DATUM]"),
    ("Diarienummer", "[DIARIENUMMER]"),
)


def party_name(abbreviation: str) -> str:
    from assistant.draft.skeleton import party_name as written_out

    return written_out(abbreviation)


def draft_title(draft: Draft) -> str:
    """The title line of the tjänsteutlåtande, from the inquiry's kind, parties and title."""
    inquiry = draft.inquiry
    kind = {"motion": "motion", "remiss": "remiss", "skrivelse": "skrivelse"}.get(inquiry.kind, "inkommen skrivelse")
    who = f" från {', '.join(party_name(p) for p in inquiry.parties)}" if inquiry.parties else ""
    subject = f" – {inquiry.title}" if inquiry.title else ""
    return f"Svar på {kind}{who}{subject}"


DONE_LABEL = "✔ Åtgärdat"
"""Prefix of a flag the officer ticked off: no longer an open item at approval."""


def flag_label(flag: Flag) -> str:
    label = f"{FLAG_LABELS.get(flag.kind, flag.kind)}: {flag.message}"
    return f"{DONE_LABEL} – {label}" if flag.done else label


def source_title(c: Citation) -> str:
    """How a source list names the cited document: its title as the parser read it from the document.

    A reader recognises a document by its title, not by the stored file name (``001_d439524d20ce7a6b.txt``).
    Only when the document states no title (or the citation predates titles) is the file name used, with
    a hash tail like the bundled documents' names carry removed: nothing else is known, and nothing is made up.
    """
    if c.title:
        return c.title
    path = PurePath(c.source.replace("\\", "/"))
    return _HASH_TAIL.sub("", path.stem) + path.suffix


def citation_line(c: Citation) -> str:
    """One entry of the source list: document title, district, date, diarienummer, section, quote."""
    bits = [source_title(c)]
    if c.district:
        bits.append(c.district)
    if c.date:
        bits.append(c.date)
    if c.diarienummer:
        bits.append(f"Dnr {c.diarienummer}")
    bits.append(f"avsnitt ”{c.section}”")
    quote = " ".join(c.quote.split())
    return f"[{c.id}] {', '.join(bits)}: ”{quote}”"


def paragraph_markdown(p: Paragraph) -> str:
    lines = [p.text]
    for f in p.flags:
        lines.append(f"> {flag_label(f)}")
    return "\n".join(lines)


def to_markdown(draft: Draft) -> str:
    """The whole draft as Markdown: header placeholders, title, sections, flags, sources."""
    out: list[str] = []
    receiver = districts.committee(draft.district)
    for label, value in HEADER_PLACEHOLDERS:
        out.append(f"**{label}:** {value}  ")
    out.append(f"**Till:** {receiver}")
    out.append("")
    out.append(f"# {draft_title(draft)}")
    out.append("")
    for f in draft.flags:
        if f.kind != "placeholder":
            out.append(f"> {flag_label(f)}")
    if any(f.kind != "placeholder" for f in draft.flags):
        out.append("")
    for section in draft.sections:
        out.append(f"## {section.heading}")
        out.append("")
        for p in section.paragraphs:
            out.append(paragraph_markdown(p))
            out.append("")
    if draft.citations:
        out.append("## Källor")
        out.append("")
        for c in draft.citations:
            out.append(citation_line(c))
            out.append("")
    return "\n".join(out).rstrip() + "\n"
