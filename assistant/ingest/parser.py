"""Genre parser for Stockholm's tjänsteutlåtanden and the inquiries they answer.

``parse(text)`` finds the sections of the city's template (Förvaltningens förslag till beslut,
Sammanfattning, Bakgrund, Ärendet, …) with character offsets into ``text``, and the metadata a
document states: district, date, diarienummer, kind, parties, inquiry authors, handläggare, title,
signatories and law references.

The text is normally OCR-repaired already, but residual damage is expected ("Forvaltningens
redogorelse", "stadsdelsndmnd"), so headings, districts and labels are matched on folded text
(case and diacritics removed) and fuzzily. Only what the document states is reported: a field the
document does not state stays empty rather than guessed.

The work is split by what it reads: :mod:`assistant.ingest.headings` (standard headings, section
roles, sections), :mod:`assistant.ingest.metadata` (date, diarienummer, district, title, kind),
:mod:`assistant.ingest.people` (authors, handläggare, signatories), :mod:`assistant.ingest.parties`
and :mod:`assistant.ingest.lines` (what a line can be). This module assembles them in ``parse`` and
re-exports the public names callers import from it.
"""

from __future__ import annotations

from assistant.ingest.headings import CANONICAL_HEADINGS, _sections, assign_roles, canonical_heading, section_role
from assistant.ingest.lines import _lines
from assistant.ingest.metadata import _SYNTHETIC_MARK, _date, _diarienummer, _district, _kind, _title
from assistant.ingest.parties import _parties
from assistant.ingest.people import _handlaggare, _inquiry_authors, _signatories
from assistant.models import DocumentMetadata, Section
from assistant.text import fold, law_references

__all__ = ["parse", "CANONICAL_HEADINGS", "canonical_heading", "section_role", "assign_roles"]


# ---------------------------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------------------------
def parse(text: str, source: str | None = None) -> tuple[DocumentMetadata, list[Section]]:
    """Metadata and sections of one document; offsets index ``text`` exactly.

    ``source`` (the file the text came from) is accepted for the pipeline's call but not read: the
    parser works on text only and never marks a document as a real public record (that is
    provenance, decided by ``registry.provenance`` on the file's bytes).
    """
    lines = _lines(text)
    sections = _sections(text, lines)
    # The header (addressee, date, title) is what precedes the first heading; without headings,
    # the opening lines.
    header_end = sections[0].start if sections else min(len(text), 600)
    header = text[:header_end]
    dnr = _diarienummer(text)
    handlaggare = _handlaggare(text, header_end)
    title = _title(text, lines, header_end, handlaggare)
    authors = _inquiry_authors(text)
    signatories = [s for s in _signatories(lines) if s not in authors]
    metadata = DocumentMetadata(
        district=_district(text, header_end, sections, dnr),
        date=_date(text, header_end, bool(sections)),
        diarienummer=dnr,
        kind=_kind(text, sections, header, title),  # type: ignore[arg-type]
        parties=_parties(text),
        inquiry_authors=authors,
        handlaggare=handlaggare,
        title=title,
        signatories=signatories,
        law_references=law_references(text),
        synthetic=bool(_SYNTHETIC_MARK.search(fold(text))),
    )
    return metadata, sections
