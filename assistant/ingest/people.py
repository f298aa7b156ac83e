"""People a document names: the inquiry's authors, the handläggare and the signatories.

Names are matched as written (capitalised name tokens, ``_PERSON``), stripped of the role nouns,
party names and districts that precede them in running text, and merged when two spellings differ
only where OCR damages å/ä/ö (``_same_person``, ``_dedupe_people``). Authors are the names before a
party abbreviation ("Mona Said (S)"); the handläggare is the name after the label; signatories are
the names above a line of job titles or in an "Attesterat av" table.
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.ingest.lines import _NAME_TOKEN, _TITLE_WORD, _fz, _Line, _looks_like_name, _title_count
from assistant.ingest.parties import _PARTY_ABBR, _PARTY_NAME
from assistant.registry import canonical_party, district_mentions
from assistant.text import fold


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
