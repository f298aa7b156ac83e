"""The genre's headings: which standard heading a line is, what each section does, where sections are.

``CANONICAL_HEADINGS`` maps the city's standard headings to the ways documents write them (older
templates, remiss answers); ``canonical_heading`` matches a line to one, tolerating case, diacritics
and OCR slips. ``section_role`` and ``assign_roles`` say what each section does (``Section.role``);
:mod:`assistant.models` calls them too, for sections stored before roles existed. ``_sections`` cuts
a document into sections at the standard headings and at the free headings a district adds under
them. Split out of :mod:`assistant.ingest.parser`, which re-exports the public names.
"""

from __future__ import annotations

import re
from statistics import median

from rapidfuzz import fuzz, process

from assistant.ingest.lines import _CONTINUATION_WORDS, _METADATA_LINE, _fz, _Line, _looks_like_name, _title_count
from assistant.ingest.people import _AUTHORS
from assistant.models import ANSWERING_ROLES, Section, SectionRole
from assistant.registry import district_mentions
from assistant.text import fold

__all__ = ["CANONICAL_HEADINGS", "STANDARD_ROLES", "canonical_heading", "section_role", "assign_roles"]


# Canonical heading -> the ways documents write it. Older templates (2008: "Förslag till beslut",
# "Förvaltningens redogörelse") and remiss answers map onto the city's current standard headings.
CANONICAL_HEADINGS: dict[str, tuple[str, ...]] = {
    "Förvaltningens förslag till beslut": (
        "Förvaltningens förslag till beslut",
        "Förslag till beslut",
        "Förslag till beslut och sammanfattning",
        "Förvaltningens förslag till nämndbeslut",
        "Beslutsförslag",
    ),
    "Begrepp": ("Begrepp", "Begreppsförklaring", "Begreppsförklaringar", "Definitioner", "Förkortningar"),
    "Sammanfattning": ("Sammanfattning", "Sammanfattning av ärendet", "Sammanfattning av remissen"),
    "Bakgrund": ("Bakgrund", "Inledning", "Bakgrund och syfte"),
    "Ärendet": (
        "Ärendet",
        "Ärende",
        "Ärendebeskrivning",
        "Skrivelsen",
        "Skrivelsens innehåll",
        "Motionen",
        "Motionens innehåll",
        "Motionens förslag",
        "Remissen",
        "Remissens innehåll",
        "Remissen i korthet",
        "Remissärendet",
    ),
    "Ärendets beredning": ("Ärendets beredning", "Beredning", "Ärendets handläggning", "Beredning av ärendet"),
    "Förvaltningens synpunkter och förslag": (
        "Förvaltningens synpunkter och förslag",
        "Förvaltningens synpunkter",
        "Förvaltningens synpunkter och bedömning",
        "Förvaltningens bedömning",
        "Förvaltningens redogörelse",
        "Förvaltningens svar",
        "Förvaltningens svar på frågorna",
        "Svar på frågorna",
        "Förvaltningens analys",
        "Förvaltningens analys och synpunkter",
        "Förvaltningens kommentarer",
        "Förvaltningens yttrande",
        "Synpunkter och förslag",
    ),
    "Barnkonsekvensanalys": (
        "Barnkonsekvensanalys",
        "Barnrättsanalys",
        "Barnrättsperspektiv",
        "Barnperspektiv",
        "Barnkonsekvenser",
        "Barnrättsbaserat beslutsunderlag",
    ),
    "Jämställdhetsanalys": ("Jämställdhetsanalys", "Jämställdhetsperspektiv", "Jämställdhetskonsekvenser"),
    "Ekonomiska konsekvenser": (
        "Ekonomiska konsekvenser",
        "Ekonomiska och personella konsekvenser",
        "Ekonomi",
        "Konsekvenser för ekonomin",
    ),
    "Konsekvenser för miljön": ("Konsekvenser för miljön", "Miljökonsekvenser"),
    "Uppföljning": ("Uppföljning",),
    "Bilagor": ("Bilagor", "Bilaga", "Bilageförteckning"),
    "Attesterat av": ("Attesterat av", "Godkänt av", "Dokumentet har godkänts av"),
}
# After these the document is lists and tables: no free-form headings are looked for.
_TRAILING_SECTIONS = {"Bilagor", "Attesterat av"}
# Sections only the förvaltning writes: their presence makes a document an answer, not an inquiry.
# ("Förslag till beslut" alone is not one of them: motions and skrivelser have it too.)
_FORVALTNING_SECTIONS = {"Ärendets beredning", "Förvaltningens synpunkter och förslag"}


# What each standard section does (``Section.role``).
STANDARD_ROLES: dict[str, SectionRole] = {
    "Förvaltningens förslag till beslut": "decision",
    "Begrepp": "definitions",
    "Sammanfattning": "summary",
    "Bakgrund": "background",
    "Ärendet": "inquiry",
    "Ärendets beredning": "preparation",
    "Förvaltningens synpunkter och förslag": "answer",
    "Barnkonsekvensanalys": "child_analysis",
    "Jämställdhetsanalys": "consequences",
    "Ekonomiska konsekvenser": "consequences",
    "Konsekvenser för miljön": "consequences",
    "Uppföljning": "consequences",
    "Bilagor": "appendix",
    "Attesterat av": "signatures",
}
# A heading that says it answers ("… och förvaltningens bedömning") unless it names one of the
# non-answering parts.
_ANSWER_WORDS = ("synpunkt", "sammanfattning", "barnkonsekvens", "redogörelse", "bedömning", "överväg", "yttrande", "svar")
_NON_ANSWER_WORDS = ("förslag till beslut", "ärendet", "bakgrund", "beredning", "bilag", "attest", "begrepp", "underskrift")


def _says_it_answers(heading: str) -> bool:
    h = heading.lower()
    return not any(w in h for w in _NON_ANSWER_WORDS) and any(w in h for w in _ANSWER_WORDS)


def section_role(heading: str, canonical: str, parent: str | None = None) -> SectionRole:
    """What a section does, from its heading, the standard heading it maps to and ``parent``, the
    standard heading of the section it falls under (for a heading the city's list does not know).

    A standard section has its standard's role, or "answer" if its own heading says it answers. A
    sub-heading ("Trygghetspunkter", "Att-sats 2: …") under an answering section (summary, answer,
    child impact analysis) takes that section's role; under any other standard section it is
    "other"; before any standard section it is "answer" if its heading says so, else "other".
    """
    if canonical in STANDARD_ROLES:
        role = STANDARD_ROLES[canonical]
        return "answer" if role not in ANSWERING_ROLES and _says_it_answers(heading) else role
    if parent is not None:
        role = STANDARD_ROLES.get(parent, "other")
        return role if role in ANSWERING_ROLES else "other"
    return "answer" if _says_it_answers(heading) else "other"


def assign_roles(sections: list[Section]) -> list[Section]:
    """Set ``role`` on every section that has none (in document order: a sub-heading's role depends
    on the standard section before it)."""
    parent: str | None = None
    for s in sections:
        if s.canonical in STANDARD_ROLES:
            parent = s.canonical
        if s.role is None:
            s.role = section_role(s.heading, s.canonical, parent)
    return sections


def _heading_key(line: str) -> str:
    key = fold(line.strip()).lstrip("#").strip()  # "## Bakgrund" in pasted Markdown
    key = re.sub(r"^(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s+", "", key)  # "1. Bakgrund", "2.1 Ärendet"
    key = re.sub(r"[\s:]+$", "", key)
    key = re.sub(r"(?<=[a-z])[1|!](?=[a-z])|^[1|!](?=[a-z]{3})", "i", key)  # OCR: "B1lagor"
    return re.sub(r"\s+", " ", key)


_HEADING_VARIANTS: dict[str, str] = {
    _heading_key(v): canonical for canonical, variants in CANONICAL_HEADINGS.items() for v in variants
}


_QUALIFIERS = _fz(r"(?:på|om|till|över|av|i|och|kring|gällande|avseende|med|för)")
_QUALIFIED_HEADINGS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^{_fz(re.escape(variant.lower()))}\s+{_QUALIFIERS}\s+\S"), canonical)
    for canonical, variants in CANONICAL_HEADINGS.items()
    for variant in sorted(variants, key=len, reverse=True)
    if len(variant) >= 7
]


def canonical_heading(line: str) -> str | None:
    """The standard heading ``line`` is a way of writing, tolerating case, diacritics and OCR slips."""
    key = _heading_key(line)
    if not key or len(key) > 80:
        return None
    if key in _HEADING_VARIANTS:
        return _HEADING_VARIANTS[key]
    if re.search(r"\.{3,}|…|\s\d+$", key):  # a table-of-contents line: "Bakgrund ........ 3"
        return None
    if len(key) < 8:  # short words ("Ekonomi", "Bilaga") only match exactly
        return None
    best = process.extractOne(key, list(_HEADING_VARIANTS), scorer=fuzz.ratio, score_cutoff=88)
    if best:
        return _HEADING_VARIANTS[best[0]]
    # A standard heading with a qualifier: "Förvaltningens synpunkter på remissen", "Bakgrund till
    # ärendet". Only short lines without final punctuation, and only with a preposition after it,
    # so that a wrapped sentence ("Bakgrunden är att …") is not taken for one.
    if len(key.split()) <= 8 and not line.rstrip().endswith((".", ",", ";", "?", "!")):
        for pattern, canonical in _QUALIFIED_HEADINGS:
            if pattern.match(key):
                return canonical
    return None


# ---------------------------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------------------------
_LIST_MARKER = re.compile(r"^(?:\d+[.)]|[-–•*·]|[a-zA-Z][.)]\s)")


def _is_free_heading(lines: list[_Line], i: int, typical: float, hard_wrapped: bool) -> bool:
    """A heading the canonical list does not know: a short, unpunctuated line standing alone.

    Deliberately strict (a sentence fragment taken for a heading would cut a section in two): the
    line follows a blank line, is short, starts with a capital, ends without punctuation or a
    dangling conjunction, is not a list item, a name in a signature or a job title, and what follows
    is a blank line or (in hard-wrapped text) a clearly longer line starting a sentence.
    """
    line = lines[i]
    s = line.text
    if i == 0 or not lines[i - 1].blank:
        return False
    if not (2 <= len(s) <= 60) or len(s.split()) > 7 or not s[0].isupper():
        return False
    if s[-1] in ".,:;!?-–" or "\t" in s or "  " in s or _LIST_MARKER.match(s):
        return False
    if sum(c.isdigit() for c in s) > 2:
        return False
    words = s.split()
    if fold(words[-1]) in _CONTINUATION_WORDS:
        return False
    if _looks_like_name(words) or _title_count(s) or _METADATA_LINE.match(fold(s)) or _AUTHORS.fullmatch(s):
        return False  # a name, a job title, a label, or an author line "Mona Said (S)"
    if district_mentions(s) or re.search(r"stadsdels(?:f|n)", fold(s)):
        return False
    following = next((lines[j] for j in range(i + 1, len(lines)) if not lines[j].blank), None)
    if following is not None and _title_count(following.text):
        return False  # a signature: name, then title
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    if nxt is None or nxt.blank:
        return True
    if not nxt.text[0].isupper():
        return False
    return hard_wrapped and len(nxt.text) >= 1.5 * len(s) and len(s) <= 0.7 * typical


def _sections(text: str, lines: list[_Line]) -> list[Section]:
    long_lines = [len(ln.text) for ln in lines if len(ln.text) >= 30]
    typical = median(long_lines) if long_lines else 80.0
    hard_wrapped = bool(long_lines) and typical <= 110
    found: list[tuple[_Line, str]] = []
    seen_known = False
    in_trailer = False
    for i, line in enumerate(lines):
        if line.blank:
            continue
        canonical = canonical_heading(line.text) if len(line.text) <= 80 else None
        if canonical:
            found.append((line, canonical))
            seen_known = True
            in_trailer = canonical in _TRAILING_SECTIONS
        elif seen_known and not in_trailer and _is_free_heading(lines, i, typical, hard_wrapped):
            found.append((line, line.text))
    sections: list[Section] = []
    for n, (line, canonical) in enumerate(found):
        end = found[n + 1][0].start if n + 1 < len(found) else len(text)
        body = line.end
        while body < end and text[body].isspace():
            body += 1
        sections.append(Section(heading=line.text, canonical=canonical, start=line.start, end=end, body_start=body))
    return assign_roles(sections)
