"""What the drafter reads of a precedent, by the role the parser gave each section (``Section.role``).

Gathering, the local/city-wide classifier, the common ground and the proposed positions all read a
precedent through the same few decisions: which sections answer, which restate the inquiry, which
hold the city-wide common ground, and which document kinds are inquiries rather than answers. They
live here so those readers cannot drift apart.
"""

from __future__ import annotations

from assistant.models import ANSWERING_ROLES, ParsedDocument, Section

NOT_ANSWERING_ROLES = frozenset({"decision", "definitions", "background", "inquiry", "preparation", "appendix", "signatures"})
"""Never read as an answer, even when a document has no answering section."""
RESTATING_ROLES = frozenset({"inquiry", "background", "preparation"})
"""Where a tjänsteutlåtande restates the inquiry it answers (a sentence repeating them is not an answer)."""
COMMON_GROUND_ROLES = frozenset({"summary", "answer", "background"})
"""Where the city-wide common ground is looked for (the child impact analysis has its own section)."""
INQUIRY_KINDS = ("skrivelse", "motion", "remiss")
"""Document kinds that are inquiries: never read as a precedent's answer."""


def standard_sections(doc: ParsedDocument) -> list[tuple[Section, str]]:
    """Each section with the standard heading it falls under (the name its sentences are cited by): a
    sub-heading the city's list does not know ("Trygghetspunkter", "Att-sats 2: …") belongs to the
    standard section before it."""
    from assistant.ingest.parser import CANONICAL_HEADINGS

    out: list[tuple[Section, str]] = []
    parent: str | None = None
    for s in doc.sections:
        if s.canonical in CANONICAL_HEADINGS:
            parent = s.canonical
        out.append((s, s.canonical if s.canonical in CANONICAL_HEADINGS or parent is None else parent))
    return out


def answer_sections(doc: ParsedDocument) -> list[Section]:
    """The sections where a document answers, by the role the parser gave them (summary, answer,
    child impact analysis, and sub-headings under those); failing that, every section that is not
    the decision, definitions, background, restated inquiry, preparation, appendix or signatures;
    failing that, the whole text."""
    found = [s for s in doc.sections if s.role in ANSWERING_ROLES]
    if not found:
        found = [s for s in doc.sections if s.role not in NOT_ANSWERING_ROLES]
    if not found and doc.text.strip():
        found = [Section(heading="Dokumentet", canonical="Dokumentet", start=0, end=len(doc.text), body_start=0, role="answer")]
    return found
