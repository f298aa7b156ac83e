"""Districts, parties, glossary and provenance of bundled documents, read from ``knowledge/``.

The facts live in JSON (``knowledge/registry/districts.json``, ``glossary.json`` and
``knowledge/documents/records.json``) so that a merger or a new diarienummer prefix is a data edit,
not a code change. The JSON ships inside the package (:mod:`assistant.resources`); the setting
``registry_dir`` replaces the districts and glossary. This module only knows how to *match* names tolerantly: case, diacritics,
genitive ``-s``, hyphen spacing and line breaks ("Hässelby- Vällingby", "Hässelby Vällingby",
"Skarpnäcks") and the vowel damage OCR does to å, ä and ö ("Hégersten-Liljeholmens").
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from assistant.errors import ConfigurationError
from assistant.resources import BUNDLED_RECORDS
from assistant.settings import get_settings
from assistant.text import fold

RECORDS_FILE = BUNDLED_RECORDS

# What OCR of Swedish print makes of å, ä and ö (seen in the seeds: "behdver", "sé", "P4", "&ven",
# "kirnuppdrag", "Hégersten"). Used only inside longer words, where the other letters anchor the match.
_OCR_VOWEL_CLASS = "[åäöÅÄÖaoeiAOEIéèóáàÉd&4]"


# ---------------------------------------------------------------------------------------------
# OCR-tolerant matching of names (folding: assistant.text)
# ---------------------------------------------------------------------------------------------
def tolerant_pattern(phrase: str) -> str:
    """A regex source matching ``phrase`` despite OCR damage to å/ä/ö and hyphen/space variation.

    Hyphens match "-", "- ", " - ", a plain space or a line break; spaces match any whitespace;
    i and l also match 1, | and ! ("L1beralerna"). Case is left to the caller's flags.
    """
    parts: list[str] = []
    for token in re.findall(r"[-–‐]\s+|[-–‐]|\s+|.", phrase, flags=re.DOTALL):
        if token[0] in "-–‐" and len(token) > 1:  # "offentlighets- och": the hyphen may be missing
            parts.append(r"[-–‐]?\s+")
        elif token in "-–‐":
            parts.append(r"(?:[ \t]*[-–‐][ \t]*\n?[ \t]*|\s+)")
        elif token.isspace():
            parts.append(r"\s+")
        elif token in "åäöÅÄÖ":
            parts.append(_OCR_VOWEL_CLASS)
        elif token in "iIlL":  # OCR reads i and l as 1, l as I and i as l
            parts.append("[iIlL1|!í]")
        else:
            parts.append(re.escape(token))
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# districts
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class District:
    name: str
    current: bool
    successor: str | None = None
    since: int | None = None
    until: int | None = None
    variants: tuple[str, ...] = ()
    dnr_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Merger:
    year: int
    from_: tuple[str, ...]
    into: str


@dataclass(frozen=True)
class Party:
    abbreviation: str
    name: str
    names: tuple[str, ...] = ()
    successor: str | None = None
    since: int | None = None
    until: int | None = None


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    explanation: str
    full: str | None = None
    law_names: tuple[str, ...] = field(default_factory=tuple)
    sfs: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_law(self) -> bool:
        return bool(self.law_names)


def _load_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # a broken registry must say which file and why
        raise ConfigurationError(f"{path}: registry data cannot be read ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigurationError(f"{path}: registry data must be a JSON object")
    return data


def _registry_dir() -> Path:
    """``registry_dir`` of the process-wide settings (default: the registry shipped in the package)."""
    return get_settings().registry_dir


@lru_cache(maxsize=1)
def _districts_data() -> dict:
    return _load_json(_registry_dir() / "districts.json")


@lru_cache(maxsize=1)
def all_districts() -> tuple[District, ...]:
    """Every district the registry knows, current and former."""
    return tuple(
        District(
            name=d["name"],
            current=bool(d.get("current")),
            successor=d.get("successor"),
            since=d.get("since"),
            until=d.get("until"),
            variants=tuple(d.get("variants") or ()),
            dnr_prefixes=tuple(d.get("dnr_prefixes") or ()),  # null: unknown
        )
        for d in _districts_data()["districts"]
    )


def districts() -> list[str]:
    """Names of Stockholm's current stadsdelsnämnder, in the registry's order."""
    return [d.name for d in all_districts() if d.current]


def mergers() -> list[Merger]:
    """District mergers, newest first."""
    return [
        Merger(year=m["year"], from_=tuple(m["from"]), into=m["into"]) for m in _districts_data().get("mergers", [])
    ]


@lru_cache(maxsize=1)
def _by_name() -> dict[str, District]:
    return {d.name: d for d in all_districts()}


@lru_cache(maxsize=1)
def _district_regex() -> tuple[re.Pattern[str], list[str]]:
    spellings: list[tuple[str, str]] = []
    for d in all_districts():
        for spelling in (d.name, *d.variants):
            spellings.append((spelling, d.name))
    # Longest first, so "Hägersten-Liljeholmen" wins over "Hägersten" at the same position.
    spellings.sort(key=lambda s: len(s[0]), reverse=True)
    names = [canonical for _, canonical in spellings]
    alternatives = [f"(?P<d{i}>{tolerant_pattern(s)})" for i, (s, _) in enumerate(spellings)]
    pattern = rf"(?<![\w-])(?:{'|'.join(alternatives)})s?(?!\w)"
    return re.compile(pattern, re.IGNORECASE), names


def district_mentions(text: str) -> list[tuple[str, int, int]]:
    """Every district name in ``text`` as ``(canonical name, start, end)``, in order of appearance.

    Matches must start with a capital letter (so "kista" the noun is not Kista); the span covers a
    genitive ``-s``.
    """
    regex, names = _district_regex()
    found: list[tuple[str, int, int]] = []
    for m in regex.finditer(text):
        if not m.group(0)[0].isupper():
            continue
        index = int(m.lastgroup[1:]) if m.lastgroup else None
        if index is None:
            continue
        found.append((names[index], m.start(), m.end()))
    return found


def find_districts(text: str) -> list[str]:
    """Districts named in ``text`` (canonical names as they were then), unique, in order of first appearance."""
    seen: list[str] = []
    for name, _, _ in district_mentions(text):
        if name not in seen:
            seen.append(name)
    return seen


_DISTRICT_SUFFIX = re.compile(
    r"\b(?:"
    + "|".join(tolerant_pattern(w) for w in ("stadsdelsnämnd", "stadsdelsförvaltning", "stadsdelsområde"))
    + r")\w*|\b(?:sdn|sdf|stadsdel)\b\.?",
    re.IGNORECASE,
)


def canonical_district(name: str | None) -> str | None:
    """The registry spelling of a district name, variant or diarienummer prefix, or ``None``.

    Historical names stay historical: "Hägersten-Liljeholmens" gives "Hägersten-Liljeholmen"
    (use :func:`current_district` for today's district).
    """
    if not name or not name.strip():
        return None
    raw = name.strip()
    by_prefix = _dnr_prefixes()
    if raw.upper() in by_prefix:
        return by_prefix[raw.upper()]
    cleaned = _DISTRICT_SUFFIX.sub(" ", fold(raw)).strip(" ,.:;")
    cleaned = re.sub(r"\s+", " ", cleaned)
    if not cleaned:
        return None
    mentions = district_mentions(raw)
    if len(mentions) == 1:
        candidate, start, end = mentions[0]
        rest = _DISTRICT_SUFFIX.sub(" ", raw[:start] + " " + raw[end:]).strip(" ,.:;\n\t")
        if not rest:
            return candidate
    # Fuzzy fallback for typos ("Hässelby-Vällinby"): compare folded names, hyphens as spaces.
    def key(s: str) -> str:
        return re.sub(r"[\s\-–‐]+", " ", fold(s)).strip()

    choices = {key(s): d.name for d in all_districts() for s in (d.name, *d.variants)}
    query = key(cleaned)
    if query.endswith("s") and query[:-1] in choices:
        return choices[query[:-1]]
    by_part = _district_by_part(query)
    if by_part:
        return by_part
    if len(query) < 7:  # "Årsta" is not a typo of "Farsta"
        return None
    best = process.extractOne(query, list(choices), scorer=fuzz.ratio, score_cutoff=88)
    return choices[best[0]] if best else None


def _district_by_part(query: str) -> str | None:
    """A district named by one part of its name ("Vällingby", "Tensta"), preferring a current one.

    Only for a name given on its own (a user's "svar för Vällingby"), never for running text, where
    "Vällingby" may just be a place.
    """
    query = query[:-1] if query.endswith("s") and len(query) > 4 else query
    hits = [
        d
        for d in all_districts()
        if len(d.name.split("-")) > 1 and query in {re.sub(r"\s+", " ", fold(p)).strip() for p in d.name.split("-")}
    ]
    current = [d.name for d in hits if d.current]
    if len(current) == 1:
        return current[0]
    return hits[0].name if len(hits) == 1 else None


def current_district(name: str | None) -> str | None:
    """Today's district for a district name or variant, following mergers ("Liljeholmen" -> "Hägersten-Älvsjö")."""
    canonical = canonical_district(name)
    seen: set[str] = set()
    while canonical and canonical not in seen:
        seen.add(canonical)
        district = _by_name().get(canonical)
        if district is None or district.current or not district.successor:
            return canonical
        canonical = district.successor
    return canonical


@lru_cache(maxsize=1)
def _dnr_prefixes() -> dict[str, str]:
    return {p.upper(): d.name for d in all_districts() for p in d.dnr_prefixes}


_DNR_PREFIX = re.compile(r"^\s*(?:dnr\.?|diarienummer)?\s*:?\s*([A-ZÅÄÖ]{1,6})(?=[\s.\-]*\d)", re.IGNORECASE)


def district_for_diarienummer(dnr: str | None) -> str | None:
    """The district whose diarium uses the prefix of ``dnr`` ("HV 2024/187" -> Hässelby-Vällingby).

    ``None`` when the prefix is unknown or absent (classification numbers like "1.5.1-234/2023"
    name no district): the registry lists only prefixes seen in real records.
    """
    if not dnr:
        return None
    m = _DNR_PREFIX.match(dnr)
    if not m:
        return None
    return _dnr_prefixes().get(m.group(1).upper())


# ---------------------------------------------------------------------------------------------
# parties
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def parties() -> tuple[Party, ...]:
    """Every party the registry knows, including former names (Folkpartiet, FP -> L)."""
    return tuple(
        Party(
            abbreviation=p["abbreviation"],
            name=p["name"],
            names=tuple(p.get("names", ())),
            successor=p.get("successor"),
            since=p.get("since"),
            until=p.get("until"),
        )
        for p in _districts_data()["parties"]
    )


@lru_cache(maxsize=1)
def _party_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for p in parties():
        lookup[p.abbreviation.lower()] = p.abbreviation
        for n in (p.name, *p.names):
            lookup[fold(n)] = p.abbreviation
            lookup[fold(n) + "s"] = p.abbreviation  # genitive: Liberalernas
    return lookup


def party_abbreviations() -> list[str]:
    """All party abbreviations the registry knows, current and former (S, M, L, FP, …)."""
    return [p.abbreviation for p in parties()]


def party_names() -> dict[str, str]:
    """Every written-out party name (any case) -> its abbreviation as then named ("Folkpartiet" -> FP)."""
    return {n: p.abbreviation for p in parties() for n in (p.name, *p.names)}


def canonical_party(token: str | None) -> str | None:
    """The party abbreviation ``token`` names, as the document names it: "(L)", "Liberalerna" -> "L";
    "(fp)", "Folkpartiet" -> "FP" (use :func:`current_party` for today's party). ``None`` if not a party."""
    if not token:
        return None
    key = re.sub(r"\s+", " ", fold(token.strip().strip("()[].,:;").strip()))
    return _party_lookup().get(key)


def current_party(token: str | None) -> str | None:
    """Today's party for an abbreviation or name, following renames ("fp" -> "L", "KDS" -> "KD")."""
    abbr = canonical_party(token)
    by_abbr = {p.abbreviation: p for p in parties()}
    seen: set[str] = set()
    while abbr and abbr not in seen:
        seen.add(abbr)
        party = by_abbr.get(abbr)
        if party is None or not party.successor:
            return abbr
        abbr = party.successor
    return abbr


# ---------------------------------------------------------------------------------------------
# glossary and laws
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def glossary() -> dict[str, GlossaryTerm]:
    """Term -> short Swedish explanation (and for statutes, their written-out names and SFS numbers)."""
    data = _load_json(_registry_dir() / "glossary.json")["terms"]
    terms: dict[str, GlossaryTerm] = {}
    for term, entry in data.items():
        law = entry.get("law") or {}
        terms[term] = GlossaryTerm(
            term=term,
            explanation=entry["explanation"],
            full=entry.get("full"),
            law_names=tuple(law.get("names", ())),
            sfs=tuple(law.get("sfs", ())),
        )
    return terms


@lru_cache(maxsize=1)
def laws() -> dict[str, str]:
    """Every way of writing a statute (abbreviation or name, folded) -> the form references use ("SoL")."""
    table: dict[str, str] = {}
    for term in glossary().values():
        if not term.is_law:
            continue
        table[fold(term.term)] = term.term
        for n in term.law_names:
            table[re.sub(r"\s+", " ", fold(n))] = term.term
        for number in term.sfs:
            table[number] = term.term
    return table


def law_abbreviation(name: str) -> str | None:
    """The reference form of a statute named ``name`` ("Socialtjänstlagen" -> "SoL", "2009:400" -> "OSL")."""
    key = re.sub(r"\s+", " ", fold(name.strip()))
    return laws().get(key)


# ---------------------------------------------------------------------------------------------
# provenance of bundled documents
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _records() -> dict[str, dict]:
    return _load_json(RECORDS_FILE).get("records", {})


def provenance(path: str | Path | None) -> dict | None:
    """What the registry knows about a bundled document: its record, or ``None``.

    Keyed by file name, but only if the file's bytes still match the recorded sha256: a different
    file that happens to share the name is never presented as a real public record.
    """
    if not path:
        return None
    p = Path(path)
    record = _records().get(p.name)
    if record is None:
        return None
    expected = record.get("sha256")
    if expected:
        try:
            actual = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError:
            return None
        if actual != expected:
            return None
    return {"file": p.name, **record}
