"""District names for drafting, on top of :mod:`assistant.registry` (the data lives there).

Drafting needs more than lookup: it must find a district however a document spells it ("Hässelby-
Vällingby", "Hässelby- Vällingby", genitive "Skarpnäcks", a former name) and rewrite a precedent's
references to its own district into the receiving district's name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant import registry

_STADSDEL_TAIL = re.compile(r"\s*stadsdel", re.IGNORECASE)


def canonical(name: str) -> str:
    """Today's registry name for ``name`` (former names follow mergers); unknown names kept as given."""
    return registry.current_district(name) or name.strip()


def same(a: str | None, b: str | None) -> bool:
    """Whether two district names denote the same district today."""
    return bool(a and b) and canonical(a) == canonical(b)


def find(text: str) -> list[str]:
    """Today's names of the districts a text mentions, in order of first mention."""
    return list(dict.fromkeys(canonical(d) for d in registry.find_districts(text)))


def mentions(text: str) -> list[tuple[str, int, int]]:
    """``(today's name, start, end)`` of every district mention; the span includes a genitive s."""
    return [(canonical(name), a, b) for name, a, b in registry.district_mentions(text)]


def genitive(name: str) -> str:
    """Swedish genitive of a place name: Skarpnäck → Skarpnäcks; names ending in s, x, z unchanged."""
    return name if name[-1:].lower() in "sxz]" else name + "s"


def attributive(name: str) -> str:
    """The form used before "stadsdelsnämnd"/"stadsdelsförvaltning": an s after a consonant only
    (Skarpnäcks stadsdelsnämnd, but Hässelby-Vällingby and Farsta stadsdelsnämnd)."""
    return name if name[-1:].lower() in "aeiouyåäöésxz]" else name + "s"


def committee(district: str | None) -> str:
    """The district's committee as written in a tjänsteutlåtande ("Skarpnäcks stadsdelsnämnd")."""
    return f"{attributive(district)} stadsdelsnämnd" if district else "[STADSDELSNÄMND]"


def is_self_reference(text: str, end: int) -> bool:
    """A district mention ending at ``end`` names the organisation ("… stadsdelsnämnd/-förvaltning")."""
    return bool(_STADSDEL_TAIL.match(text[end:]))


def rewrite(text: str, source: str, target: str) -> str:
    """Replace mentions of ``source`` by ``target``: attributive before "stadsdel…", genitive kept."""
    out: list[str] = []
    pos = 0
    for name, a, b in mentions(text):
        if not same(name, source):
            continue
        if is_self_reference(text, b):
            new = attributive(target)
        elif text[a:b].endswith("s") and not re.search(r"s$", name):
            new = genitive(target)
        else:
            new = target
        out.append(text[pos:a])
        out.append(new)
        pos = b
    out.append(text[pos:])
    return "".join(out)


@lru_cache(maxsize=1)
def _place_regex() -> re.Pattern[str] | None:
    """Parts of district names that are no district's name of their own ("Tensta", "Spånga"), as
    whole capitalised words (a genitive s allowed), not inside the full name ("Spånga-Tensta")."""
    parts: set[str] = set()
    for d in registry.all_districts():
        for part in d.name.split("-"):
            part = part.strip()
            if len(part) >= 4 and " " not in part and not registry.district_mentions(part):
                parts.add(part)
    if not parts:
        return None
    return re.compile(rf"(?<![\w-])(?:{'|'.join(sorted(map(re.escape, parts), key=len, reverse=True))})s?(?![\w-])")


def places(text: str) -> list[str]:
    """Places named by a part of a district's name ("i västra Tensta"): a place in that district,
    local to it wherever it is quoted, whoever else names it."""
    regex = _place_regex()
    return [m.group(0) for m in regex.finditer(text)] if regex else []
