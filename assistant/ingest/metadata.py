"""What a document states about itself: date, diarienummer, district, title, kind and synthetic mark.

Each field is looked for where the city's template puts it first (the header before the first
heading, the addressee block after "Till", the decision formula), then in weaker cues; a field the
document does not state stays None rather than guessed. The people it names are read by
:mod:`assistant.ingest.people`, its parties by :mod:`assistant.ingest.parties`;
:func:`assistant.ingest.parser.parse` puts them all together.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.ingest.headings import _FORVALTNING_SECTIONS, _heading_key
from assistant.ingest.lines import _CONTINUATION_WORDS, _GENRE_LABEL, _METADATA_LINE, _fz, _Line
from assistant.ingest.parties import _paren_parties, _parties
from assistant.models import Section
from assistant.registry import district_for_diarienummer, district_mentions, tolerant_pattern
from assistant.text import fold


# --- dates, district and diarienummer ----------------------------------------------------------
_MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6,
    "juli": 7, "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}  # fmt: skip
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_TEXT_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({'|'.join(_MONTHS)})\s+(\d{{4}})(?!\d)", re.IGNORECASE)


def _dates(text: str) -> list[tuple[int, str]]:
    """Every valid full date in ``text`` as ``(offset, ISO string)``, in order."""
    found: list[tuple[int, int, int, int]] = []
    for m in _ISO_DATE.finditer(text):
        found.append((m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _TEXT_DATE.finditer(text):
        found.append((m.start(), int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))))
    out: list[tuple[int, str]] = []
    for offset, y, mo, d in sorted(found):
        try:
            out.append((offset, date(y, mo, d).isoformat()))
        except ValueError:
            continue
    return out


_TILL = re.compile(r"(?m)(?:^[ \t]*Till\b|[ \t]Till[ \t]*$)")
_NAMND = tolerant_pattern("stadsdelsnämnd")
_FORVALTNING = tolerant_pattern("stadsdelsförvaltning")


def _addressee_window(text: str, header_end: int) -> tuple[int, int] | None:
    """The block after a header "Till" up to the next blank line (at most 200 characters)."""
    m = _TILL.search(text, 0, max(header_end, 1))
    if not m:
        return None
    end = min(len(text), m.end() + 200)
    blank = re.compile(r"\n[ \t]*\n").search(text, m.end() + 1, end)
    return (m.end(), blank.start() if blank else end)


def _district(text: str, header_end: int, sections: list[Section], dnr: str | None) -> str | None:
    # 1. Addressee in the header: "Till / Hässelby- Vällingby / stadsdelsnämnd".
    window = _addressee_window(text, header_end)
    if window:
        mentions = district_mentions(text[window[0] : window[1]])
        if mentions:
            return mentions[0][0]
    # 2. The decision formula: "Skarpnäcks stadsdelsnämnd beslutar …", in the proposal section first.
    followed_by = re.compile(rf"\s*{_NAMND}", re.IGNORECASE)
    proposal = [s for s in sections if s.canonical == "Förvaltningens förslag till beslut"]
    for lo, hi in [(s.body_start, s.end) for s in proposal] + [(0, len(text))]:
        for name, start, end in district_mentions(text[lo:hi]):
            if followed_by.match(text, lo + end):
                return name
    # 3. Signatures: "Hägersten-Älvsjö / stadsdelsförvaltning" (the last, i.e. the signing one).
    signing = re.compile(rf"\s*{_FORVALTNING}", re.IGNORECASE)
    named = [name for name, _, end in district_mentions(text) if signing.match(text, end)]
    if named:
        return named[-1]
    # 4. The diarienummer prefix, where the registry knows it.
    return district_for_diarienummer(dnr)


_DNR = re.compile(
    r"(?i:\bdnr\b|\bdiarienummer\b|\bdiarienr\b)\.?\s*:?\s*"
    r"(?P<dnr>(?:[A-ZÅÄÖ]{1,6}[ \t-]?)?\d[\d.:/\-–]*\d)"
)


def _diarienummer(text: str) -> str | None:
    m = _DNR.search(text)
    if m:
        return re.sub(r"\s+", " ", m.group("dnr")).replace("–", "-")
    # Without a label only a prefix the registry knows is trusted: "HV 2024/187".
    for m in re.finditer(r"\b([A-ZÅÄÖ]{1,6}) (\d{4}/\d{1,6})\b", text):
        if district_for_diarienummer(m.group(0)):
            return m.group(0)
    return None


def _date(text: str, header_end: int, has_sections: bool) -> str | None:
    """The header date (near "Till", or anywhere before the first heading), else the latest full date."""
    window = _addressee_window(text, header_end)
    if window:
        near = _dates(text[window[0] : window[1]])
        if near:
            return near[0][1]
    if has_sections:
        in_header = _dates(text[:header_end])
        if in_header:
            return in_header[0][1]
    every = _dates(text)
    return max(d for _, d in every) if every else None


# --- title and kind -----------------------------------------------------------------------------
def _is_metadata_line(s: str, handlaggare: str | None) -> bool:
    folded = fold(s)
    if _METADATA_LINE.match(folded):
        # A genre label alone ("Tjänsteutlåtande") is metadata; "Skrivelse angående RSU" is a title.
        label = re.match(rf"^{_GENRE_LABEL}\b", folded)
        return not label or len(folded.split()) <= 1 or bool(re.match(r"^\w+\s+\d", folded))
    if handlaggare and fold(handlaggare) in folded:
        return True
    if _ISO_DATE.fullmatch(s) or _TEXT_DATE.fullmatch(s):
        return True
    mentions = district_mentions(s)
    if mentions:
        rest = s[: mentions[0][1]] + s[mentions[-1][2] :]
        if not re.sub(rf"(?i){_NAMND}\w*|{_FORVALTNING}\w*|\W", "", rest):
            return True
    return False


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` continues a wrapped title line rather than starting a new one."""
    last = fold(previous.split()[-1]) if previous.split() else ""
    return not line[0].isupper() or previous.endswith(("-", "–")) or last in _CONTINUATION_WORDS


def _title(text: str, lines: list[_Line], header_end: int, handlaggare: str | None) -> str | None:
    addressee = _addressee_window(text, header_end)
    block: list[str] = []
    for line in lines:
        if line.start >= header_end and header_end:
            break
        if line.blank:
            if block:
                break
            continue
        in_addressee = addressee is not None and addressee[0] <= line.start < addressee[1]
        # The synthetic mark is a line about the file, not its letterhead: the title comes after it.
        if in_addressee or _is_metadata_line(line.text, handlaggare) or _SYNTHETIC_MARK.search(fold(line.text)):
            if block:
                break
            continue
        if block and not _continues(block[-1], line.text):
            break  # a subtitle ("Svar på remiss från kommunstyrelsen") is not part of the title
        block.append(line.text)
    if not block or len(block) > 3:
        return None
    title = re.sub(r"\s+", " ", " ".join(block)).strip()
    title = re.sub(r"\s*(?i:dnr)\b.*$", "", title).strip()
    if not title or len(title) > 200 or title.endswith("."):
        return None
    return title


_FORVALTNING_DECISION = re.compile(
    _fz(
        r"(?:stadsdels)?nä{1,2}mnd(?:en)?\s+(?:godk\S+|beslutar|besluta|lä{1,2}gger|överlämnar|anser)"
        r"[^.]{0,120}?\b(?:förvaltningens|tjänsteutlåtande)"
    )
)


def _written_by_forvaltning(folded: str, sections: list[Section]) -> bool:
    """Whether the förvaltning wrote the document (an answer), rather than a party (an inquiry).

    Evidence: the förvaltning's own sections, or a decision formula in which the nämnd approves
    "förvaltningens tjänsteutlåtande". A bare "Förslag till beslut" is not enough: motions and
    skrivelser have one too ("Vi föreslår att nämnden beslutar att ge förvaltningen i uppdrag …").
    """
    canon = {s.canonical for s in sections}
    if canon & _FORVALTNING_SECTIONS:
        return True
    own = re.compile(_fz(r"\bförvaltningens\b"))
    if any(s.canonical == "Förvaltningens förslag till beslut" and own.search(_heading_key(s.heading)) for s in sections):
        return True
    return bool(_FORVALTNING_DECISION.search(folded))


def _kind(text: str, sections: list[Section], header: str, title: str | None) -> str:
    """The document's genre, from the strongest cue down.

    Written by the förvaltning: a yttrande if it answers a remiss, else a tjänsteutlåtande. Else the
    title's own words (Yttrande…, Svar på skrivelse…, Motion…, Skrivelse…, Remiss…, Riktlinjer…),
    then the text's cues: a remiss's reply date, a party proposing that the council decide
    (motion), questions put by a party (skrivelse).
    """
    folded = fold(text)
    head = fold(header + " " + (title or ""))
    if _written_by_forvaltning(folded, sections):
        # An answer to a remiss says so in its header or its proposal ("… som svar på remissen"),
        # not merely somewhere in the body.
        proposal = next((s for s in sections if s.canonical == "Förvaltningens förslag till beslut"), None)
        said = head + " " + (folded[proposal.body_start : proposal.end] if proposal else folded[:1500])
        if re.search(_fz(r"\byttrande\b|\bremissvar|\bsvar\s+på\s+remiss"), said):
            return "yttrande"
        return "tjänsteutlåtande"
    t = fold(title or "")
    if re.match(_fz(r"(?:yttrande|remissvar|svar\s+på\s+remiss)\b"), t):
        return "yttrande"
    if re.match(_fz(r"svar\s+på\s+(?:skrivelse|motion|medborgarförslag|fråga)"), t):
        return "tjänsteutlåtande"  # an answer, even one too short for the template's sections
    if t.startswith("motion"):
        return "motion"
    if t.startswith("skrivelse"):
        return "skrivelse"
    if t.startswith("remiss") and not t.startswith("remissvar"):
        return "remiss"
    if "riktlinje" in t:
        return "riktlinje"
    if re.search(r"\bremisstid\b|\bremissinstans|\bsvar senast\b|\bsynpunkter senast\b", folded):
        return "remiss"
    proposes_to_council = re.search(
        _fz(r"(?:föresl\S+|yrka\S*)\s[^.]{0,200}?\b(?:kommun)?fullmä{1,2}ktige\s+beslutar?\b"), folded
    )
    from_the_board = re.search(_fz(r"\b(?:kommunstyrelsen|borgarrådet|nämnden|förvaltningen)\s+föreslår"), folded)
    if proposes_to_council and not from_the_board and _parties(text):
        return "motion"  # from a party to the council; the board's own utlåtande is not a motion
    if re.search(_fz(r"\bföljande\s+frå{1,2}gor|\bvi\s+vill\s+(?:fråga|veta|ha\s+svar)|\bvi\s+undrar\b"), folded) or (
        "?" in text and _paren_parties(text)
    ):
        return "skrivelse"
    if re.search(r"\briktlinje", head):
        return "riktlinje"
    return "annat"


# A generated document says so ("SYNTETISKT DOKUMENT – genererat för …"); it must never pass for a record.
_SYNTHETIC_MARK = re.compile(r"\bsyntetiskt\s+dokument\b")
