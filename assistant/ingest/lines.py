"""What a line of a tjänsteutlåtande can be: the vocabulary the genre parser shares.

The document's lines with their offsets (``_lines``), and what the heading finder
(:mod:`assistant.ingest.headings`) and the metadata readers (:mod:`assistant.ingest.people`,
:mod:`assistant.ingest.metadata`) all ask of a line: is it a job title, a person's name, a label
("Handläggare", "Dnr", "Tjänsteutlåtande"), does a wrapped line continue. They live here, below those
modules, so that none of them has to import another for them. ``_fz`` makes the plain-Swedish regexes
of every parser module match folded text with residual OCR damage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text import fold


def _fz(pattern: str) -> str:
    """A regex written in plain Swedish, made to match *folded* text with residual OCR damage.

    Folding turns å/ä/ö into a/a/o; OCR also leaves é, d, i, &, 4 or 1 where they were, so each
    å/ä/ö in ``pattern`` becomes a class of all of those ("handläggare" matches "handlaggare",
    "handléggare", "handldggare").
    """
    return re.sub("[åäö]", "[aoeid&41]", pattern)


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


# --- job titles and names ----------------------------------------------------------------------
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


# --- labels and wrapped lines ------------------------------------------------------------------
# A word a wrapped line can end on: the next line continues it (not a heading, not a new title line).
_CONTINUATION_WORDS = {
    "och", "i", "att", "for", "som", "med", "om", "pa", "av", "till", "en", "ett", "det", "den",
    "de", "eller", "samt", "fran", "vid", "under", "inom", "mellan", "har", "ar", "kan", "ska",
}  # fmt: skip

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
