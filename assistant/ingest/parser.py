"""Genre parser for Stockholm's tjänsteutlåtanden and the inquiries they answer.

``parse(text)`` finds the sections of the city's template (Förvaltningens förslag till beslut,
Sammanfattning, Bakgrund, Ärendet, …) with character offsets into ``text``, and the metadata a
document states: district, date, diarienummer, kind, parties, inquiry authors, handläggare, title,
signatories and law references.

The text is normally OCR-repaired already, but residual damage is expected ("Forvaltningens
redogorelse", "stadsdelsndmnd"), so headings, districts and labels are matched on folded text
(case and diacritics removed) and fuzzily. Only what the document states is reported: a field the
document does not state stays empty rather than guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from statistics import median

from rapidfuzz import fuzz, process

from assistant.models import ANSWERING_ROLES, DocumentMetadata, Section, SectionRole
from assistant.registry import (
    canonical_party,
    district_for_diarienummer,
    district_mentions,
    party_abbreviations,
    party_names,
    tolerant_pattern,
)
from assistant.text import fold, law_references

__all__ = ["parse", "CANONICAL_HEADINGS", "canonical_heading", "section_role", "assign_roles"]


def _fz(pattern: str) -> str:
    """A regex written in plain Swedish, made to match *folded* text with residual OCR damage.

    Folding turns å/ä/ö into a/a/o; OCR also leaves é, d, i, &, 4 or 1 where they were, so each
    å/ä/ö in ``pattern`` becomes a class of all of those ("handläggare" matches "handlaggare",
    "handléggare", "handldggare").
    """
    return re.sub("[åäö]", "[aoeid&41]", pattern)


# ---------------------------------------------------------------------------------------------
# headings of the genre
# ---------------------------------------------------------------------------------------------
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
# lines
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Line:
    start: int  # offset of the first non-blank character (or of the line, if blank)
    end: int  # offset of the line's end (before the newline)
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip())
        lines.append(_Line(offset + (lead if raw.strip() else 0), offset + len(raw), raw.strip()))
        offset += len(raw) + 1
    return lines


_TITLE_WORD = re.compile(
    _fz(
        r"(?:chef|direktör|ordförande|sekreterare|handläggare|strateg|controller|jurist|samordnare|"
        r"rådgivare|utredare|specialist|ansvarig|föreståndare|registrator|kommunikator|ekonom|planerare|"
        r"assistent|socialsekreterare|koordinator|analytiker)$"
    )
)
_TITLE_MODIFIER = re.compile(_fz(r"^(?:biträdande|tf|t\.f\.|tillförordnad|stf|ställföreträdande|vice|tillf\.)$"))


def _title_count(line: str) -> int:
    """How many job titles a line consists of ("Stadsdelsdirektör   Avdelningschef" -> 2), else 0."""
    tokens = [t.strip(",") for t in fold(line).split()]
    words = [t for t in tokens if not _TITLE_MODIFIER.match(t)]
    if not words or not _TITLE_WORD.search(words[0]):
        return 0
    titles = sum(1 for t in words if _TITLE_WORD.search(t))
    if titles == len(words):
        return titles
    # "Avdelningschef, avdelningen för individ och familj": one title, then the unit.
    return 1 if titles == 1 and len(words) <= 8 and not line.rstrip().endswith(".") else 0


_NAME_TOKEN = r"[A-ZÅÄÖÉÜØÆ][a-zåäöéèáàüóíøæñ]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéèáàüóíøæñ]+)?"
_NAME_TOKEN_RE = re.compile(rf"^{_NAME_TOKEN}$")


def _looks_like_name(words: list[str]) -> bool:
    return 2 <= len(words) <= 4 and all(_NAME_TOKEN_RE.match(w) for w in words)


# ---------------------------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------------------------
_LIST_MARKER = re.compile(r"^(?:\d+[.)]|[-–•*·]|[a-zA-Z][.)]\s)")
_CONTINUATION_WORDS = {
    "och", "i", "att", "for", "som", "med", "om", "pa", "av", "till", "en", "ett", "det", "den",
    "de", "eller", "samt", "fran", "vid", "under", "inom", "mellan", "har", "ar", "kan", "ska",
}  # fmt: skip


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


# ---------------------------------------------------------------------------------------------
# metadata
# ---------------------------------------------------------------------------------------------
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


# --- parties and people ------------------------------------------------------------------------
def _party_token_pattern() -> str:
    abbrs = sorted(party_abbreviations(), key=len, reverse=True)
    return "|".join(re.escape(a) for a in abbrs)


_PARTY_ABBR = _party_token_pattern()
_PAREN_PARTIES = re.compile(
    rf"(?<![\w(])\(\s*((?:{_PARTY_ABBR})(?:\s*(?:,|/|och)\s*(?:{_PARTY_ABBR}))*)\s*\)(?!\w)",
    re.IGNORECASE,
)
_PARTY_SPELLINGS = sorted(party_names().items(), key=lambda item: len(item[0]), reverse=True)
_PARTY_NAME = re.compile(
    r"(?<!\w)(?:"
    + "|".join(f"(?P<p{i}>{tolerant_pattern(name)})" for i, (name, _) in enumerate(_PARTY_SPELLINGS))
    + r")s?(?!\w)",
    re.IGNORECASE,
)


def _party_named(m: re.Match[str]) -> str:
    """The abbreviation of the party a ``_PARTY_NAME`` match names (even if OCR-damaged)."""
    return _PARTY_SPELLINGS[int(m.lastgroup[1:])][1]  # type: ignore[index]


_UNCLOSED_PARTY = re.compile(rf"(?<![\w(])\(\s*((?:{_PARTY_ABBR}))\s*(?=(?:,|och)\s*\()", re.IGNORECASE)


def _paren_parties(text: str) -> list[tuple[int, str]]:
    """Parenthesised party abbreviations: "(L)", "(fp)", "(S, V)", even "(MP och (V)" -> upper-case as written."""
    letters_used_as_list = bool(re.search(r"(?<![\w(])\([ab]\)", text))
    out: list[tuple[int, str]] = []
    for m in [*_PAREN_PARTIES.finditer(text), *_UNCLOSED_PARTY.finditer(text)]:
        for token in re.split(r"\s*(?:,|/|och)\s*", m.group(1)):
            abbr = canonical_party(token)
            if not abbr or (len(token) == 1 and letters_used_as_list):
                continue
            out.append((m.start(), abbr))
    return sorted(out)


def _parties(text: str) -> list[str]:
    """Parties as the document names them, in order: "(fp)" stays "FP" (Folkpartiet, today L),
    because the metadata records what the document says; ``registry.current_party`` maps onwards."""
    found = _paren_parties(text)
    if not found:  # no "(L)": fall back to parties named in full ("Liberalerna")
        found = [(m.start(), _party_named(m)) for m in _PARTY_NAME.finditer(text) if m.group(0)[0].isupper()]
    out: list[str] = []
    for _, abbr in found:
        if abbr and abbr not in out:
            out.append(abbr)
    return out


_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_PERSON = rf"{_NAME_TOKEN}(?:{_GAP}(?:(?:von|af|de|van|der|la)[ \t]+)?{_NAME_TOKEN}){{1,3}}"
_AUTHORS = re.compile(
    rf"(?P<names>{_PERSON}(?:(?:\s*,\s*|\s+och\s+){_PERSON}){{0,6}})\s+(?:m\.?\s?fl\.?\s*)?"
    rf"\(\s*(?P<party>(?i:{_PARTY_ABBR}))\s*\)(?!\w)"
)
# Words that precede a name in running text but are not part of it.
_NOT_NAME_WORDS = {
    "skrivelse", "skrivelsen", "motion", "motionen", "svar", "fran", "av", "ledamot", "ledamoten",
    "ledamoterna", "ordforande", "ordforanden", "vice", "ersattare", "ersattaren", "borgarradet",
    "oppositionsborgarradet", "kommunalradet", "radet", "namndledamot", "interpellation", "fraga",
    "bilaga", "bilagor", "enligt", "till", "som", "och", "att", "remiss", "remissen", "yttrande",
}  # fmt: skip


# Role nouns in the definite form that introduce a name: "Gruppledaren", "Ordföranden", "Kommunalrådet".
_ROLE_NOUN = re.compile(r"(?:aren|ande|anden|radet|ledamoten|ledamoterna|representanten|foretradaren)$")


def _split_names(names: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r"\s*,\s*|\s+och\s+", names):
        party = None
        for party in _PARTY_NAME.finditer(part):
            pass
        if party:  # "Miljöpartiet de gröna Anna Berg": the name follows the party's
            part = part[party.end() :]
        words = part.split()
        while words and (
            fold(words[0]) in _NOT_NAME_WORDS
            or _ROLE_NOUN.search(fold(words[0]))
            or canonical_party(words[0])
            or district_mentions(words[0])
        ):
            words = words[1:]
        if len(words) >= 2:
            out.append(" ".join(words))
    return out


_OCR_DAMAGE_CHARS = set("éèd&41åäöÅÄÖ")


def _same_person(a: str, b: str) -> bool:
    """Whether two spellings differ only where OCR damages å/ä/ö ("Moller", "Méller", "Möller")."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True
    if len(a) != len(b):
        return False
    return all(x == y or a[i] in _OCR_DAMAGE_CHARS or b[i] in _OCR_DAMAGE_CHARS for i, (x, y) in enumerate(zip(fa, fb)))


def _dedupe_people(names: list[str]) -> list[str]:
    """Unique names in order, merging spellings that differ only in OCR-damaged vowels.

    The spelling kept is one with Swedish letters (å, ä, ö) if any, else the most frequent.
    """
    groups: list[list[str]] = []
    for n in names:
        group = next((g for g in groups if _same_person(g[0], n)), None)
        if group is None:
            groups.append([n])
        else:
            group.append(n)
    out: list[str] = []
    for spellings in groups:
        swedish = [s for s in spellings if re.search(r"[åäöÅÄÖ]", s)]
        out.append(Counter(swedish or spellings).most_common(1)[0][0])
    return out


def _inquiry_authors(text: str) -> list[str]:
    names: list[str] = []
    for m in _AUTHORS.finditer(text):
        names.extend(_split_names(re.sub(r"\s+", " ", m.group("names"))))
    return _dedupe_people(names)


_HANDLAGGARE = re.compile(_fz(r"handlä{1,2}ggare\b\s*:?\s*"))
_LABEL_WORDS = {"till", "telefon", "tfn", "tel", "e-post", "epost", "datum", "dnr", "diarienummer"}


def _handlaggare(text: str, header_end: int) -> str | None:
    """The name after "Handläggare" (in the header first, else anywhere, e.g. a closing line)."""
    folded = fold(text)
    person = re.compile(_PERSON)
    for m in sorted(_HANDLAGGARE.finditer(folded), key=lambda m: m.start() >= header_end):
        found = person.match(text, m.end())
        if not found:
            continue
        words = found.group(0).split()
        # Two-column headers merge lines: "Handläggare Till / Nicole Nyholm Hässelby-Vällingby".
        while words and (fold(words[-1]) in _LABEL_WORDS or district_mentions(words[-1])):
            words = words[:-1]
        while words and (fold(words[0]) in _LABEL_WORDS or _TITLE_WORD.search(fold(words[0]))):
            words = words[1:]  # "Handläggare: Verksamhetschef Kerstin Olsson"
        if len(words) >= 2:
            return " ".join(words)
    return None


def _signatories(lines: list[_Line]) -> list[str]:
    """Names above a line of job titles, and names in an "Attesterat av" table ("Namn, Titel<TAB>Datum")."""
    names: list[str] = []
    for i, line in enumerate(lines):
        if line.blank:
            continue
        n_titles = _title_count(line.text)
        if n_titles and i > 0 and not lines[i - 1].blank and not _title_count(lines[i - 1].text):
            names.extend(_names_in_line(lines[i - 1].text, n_titles))
        table = re.match(r"^([^,\t]+),\s*([^\t]+?)\s+\d{4}-\d{2}-\d{2}", line.text)
        if table and _title_count(table.group(2)) and _looks_like_name(table.group(1).split()):
            names.append(table.group(1).strip())
    return _dedupe_people(names)


def _names_in_line(line: str, n: int) -> list[str]:
    """Split a signature line into ``n`` names: by column gaps if there are any, else evenly by words."""
    columns = [c.strip() for c in re.split(r"\t|\s{2,}", line.strip()) if c.strip()]
    if len(columns) != n:
        words = line.split()
        if n <= 0 or len(words) % n:
            columns = [line.strip()] if n == 1 else []
        else:
            size = len(words) // n
            columns = [" ".join(words[k : k + size]) for k in range(0, len(words), size)]
    return [c for c in columns if _looks_like_name(c.split()) and not district_mentions(c)]


# --- title and kind -----------------------------------------------------------------------------
_GENRE_LABEL = _fz(r"(?:tjänsteutlåtande|skrivelse|motion|remiss|yttrande|pm)")
_METADATA_LINE = re.compile(
    _fz(
        r"^(?:handlä{1,2}ggare|telefon|tfn|tel\.?|e-?post|till|dnr|diarienummer|datum|sida? \d|bilaga \d|"
        r"stockholms stad$|version \d|utkast$|"
        r"avdelning(?:en)?|enhet(?:en)?|sektion(?:en)?|staben|kansli(?:et)?|"
        r"stadsdels(?:nä{1,2}mnd|fö{1,2}rvaltning)\w*|"
    )
    + _GENRE_LABEL
    + r")\b"
)


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
        if in_addressee or _is_metadata_line(line.text, handlaggare):
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
