"""Political parties a document names, as it names them.

The abbreviations and names come from the registry (``registry.party_abbreviations``,
``registry.party_names``), so the patterns are built once, at import. Parenthesised abbreviations
("(L)", "(fp)", "(S, V)") are the evidence; parties named in full ("Liberalerna") are the fallback.
The author pattern (:mod:`assistant.ingest.people`) and the genre cues (:mod:`assistant.ingest.metadata`)
use these patterns too.
"""

from __future__ import annotations

import re

from assistant.registry import canonical_party, party_abbreviations, party_names, tolerant_pattern


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
