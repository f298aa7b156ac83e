"""Inquiry analysis: what a skrivelse, motion or remiss asks, from whom, and of which district.

The drafters answer *questions*, so finding every question is the job that matters most here:
bullets ("- Hur …?"), numbered items ("1.)", "1.", "1)"), inline sentences ending in "?", and
questions wrapped over hard line breaks or OCR page breaks. Motions and remisser propose instead of
asking: their att-satser ("föreslår … att kommunfullmäktige beslutar att 1. …") are the points to answer.
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from assistant import registry
from assistant.draft import districts
from assistant.models import Inquiry, InquiryKind
from assistant.text import STOPWORDS, fold, sentences, squash, words

_PARTY_PAREN_RE = re.compile(r"\(\s*([A-Za-zÅÄÖåäö]{1,3})\s*\)")
# Words every inquiry and answer uses: they never say what it is about.
_GENRE_WORDS = frozenset(
    "skrivelse skrivelsen motion motionen remiss remissen förvaltningen förvaltningens stadsdelsnämnden "
    "stadsdelsnämnderna nämnden tjänsteutlåtande tjänsteutlåtandet frågor frågan följande ärendet".split()
)
_NAME = r"[A-ZÅÄÖÉ][a-zåäöéüø]+"
_AUTHOR_RE = re.compile(rf"({_NAME}(?:[ -]{_NAME}){{1,3}})(?:\s+m\.\s?fl\.?)?\s*\(\s*([A-Za-zÅÄÖåäö]{{1,3}})\s*\)")
_ITEM_RE = re.compile(r"^\s*(?:[-–•*·]|\d{1,2}\s*[.)]\)?|[a-h]\))\s+")
# What introduces the proposals: "… föreslår att kommunfullmäktige beslutar (att):", or a remiss's
# "… ta ställning till följande förslag:" before a numbered list.
_ATT_INTRO_RE = re.compile(
    r"(föresl\w*|yrk\w*|beslut\w*|hemställ\w*)\b[^.?!]*?\b(?:att|beslutar|besluta)\s*:?\s*$"
    r"|\bföljande\b(?![^.?!:]*\bfråg)[^.?!]*:\s*$",
    re.IGNORECASE,
)
_INLINE_ATT_RE = re.compile(r"(?:föreslår|yrkar|hemställer)[^.?!]*?\bbeslutar\s+att\s+(.+)", re.IGNORECASE | re.DOTALL)


def analyse_inquiry(text: str, district: str | None = None) -> Inquiry:
    """Analyse an inquiry: OCR repair first when it is damaged, then kind, parties, questions…

    ``district`` overrides the receiving district found in the text; an inquiry addressed to every
    district (as most skrivelser to "stadsdelsnämnderna" are) gets ``None`` unless one is given.
    """
    text, repairs = _repair(text)
    units = _units(text)
    questions = _questions(units)
    att_satser = _att_satser(units)
    kind = _kind(text, questions, att_satser)
    if kind not in ("motion", "remiss"):
        att_satser = []
    receiving = districts.canonical(district) if district else _receiving_district(text)
    return Inquiry(
        recipient=_recipient(text) if kind in ("motion", "remiss") else None,
        text=text,
        kind=kind,
        title=_title(text),
        parties=_parties(text),
        authors=_authors(text),
        questions=questions,
        att_satser=att_satser,
        topic_terms=topic_terms(text),
        district=receiving,
        repairs=repairs,
    )


def _repair(text: str) -> tuple[str, int]:
    from assistant.ingest.ocr import needs_repair, repair

    if not needs_repair(text):
        return text, 0
    result = repair(text)
    return result.text, len(result.repairs) if isinstance(result.repairs, list) else int(result.repairs)


def _units(text: str) -> list[tuple[bool, str]]:
    """Logical units ``(is_list_item, text)``: paragraphs and list items with hard wraps joined.

    A unit that stops mid-sentence and is followed (after a blank line, as OCR page breaks leave it)
    by one starting in lower case is the same sentence and is joined to it.
    """
    units: list[list] = []
    blank = True
    for line in text.splitlines():
        if not line.strip():
            blank = True
            continue
        item = bool(_ITEM_RE.match(line))
        if item or blank or not units:
            stripped = line.strip()
            if (
                not item
                and units
                and blank
                and stripped[:1].islower()
                and not re.search(r"[.?!:;]\s*$", units[-1][1])
                and not (_ATT_START.match(stripped) and (_ATT_START.match(units[-1][1]) or _ATT_INTRO_RE.search(units[-1][1])))
            ):
                units[-1][1] += " " + stripped
            else:
                units.append([item, stripped])
        else:
            units[-1][1] += " " + line.strip()
        blank = False
    return [(item, squash(t)) for item, t in units]


# Att-satser one per paragraph without final punctuation: parallel proposals, not one broken sentence.
_ATT_START = re.compile(r"^att\s", re.IGNORECASE)


def _strip_marker(text: str) -> str:
    return _ITEM_RE.sub("", text, count=1).strip()


def _questions(units: list[tuple[bool, str]]) -> list[str]:
    found: list[str] = []
    for item, unit in units:
        if item and unit.rstrip().endswith("?"):
            candidates = [_strip_marker(unit)]
        else:
            candidates = [s.text for s in sentences(unit) if s.text.rstrip().endswith("?")]
        for q in candidates:
            q = _strip_lead_in(_strip_marker(q))
            if len(words(q)) >= 3 and q not in found:
                found.append(q)
    return found


# "Vi undrar därför hur …?", "Slutligen vill vi få svar på vilket …?": the asking clause before an
# indirect question; the question proper starts at the interrogative word.
_LEAD_IN = re.compile(
    r"^(?:[\wåäöÅÄÖ]+\s+){0,3}?(?:undrar|vill|frågar|önskar|efterfrågar)\b(?:\s+[\wåäö]+){0,5}?\s+"
    r"(?=(?:hur|vilken|vilket|vilka|när|varför|vad|var|vem|huruvida|på vilket sätt|i vilken)\b)",
    re.IGNORECASE,
)


def _strip_lead_in(question: str) -> str:
    m = _LEAD_IN.match(question)
    if not m or len(words(question[m.end():])) < 3:
        return question
    rest = question[m.end():]
    return rest[:1].upper() + rest[1:]


def _att_satser(units: list[tuple[bool, str]]) -> list[str]:
    out: list[str] = []
    collecting = False
    for item, unit in units:
        if collecting and (item or unit.lower().startswith("att ")) and not unit.rstrip().endswith("?"):
            point = re.sub(r"^att\s+", "", _strip_marker(unit), flags=re.IGNORECASE).rstrip(" .;,")
            if point:
                out.append(point)
            continue
        collecting = False
        if _ATT_INTRO_RE.search(unit):
            collecting = True
            continue
        m = _INLINE_ATT_RE.search(unit)
        if m:
            parts = re.split(r"[,;]\s*(?:samt\s+)?att\s+|\s+samt\s+att\s+", m.group(1))
            out.extend(p.strip(" .;,") for p in parts if p.strip(" .;,"))
    return out


# "Remiss från trafiknämnden", "Från: Idrottsnämnden", "Kommunstyrelsen remitterar …": who sent the remiss.
_SENDER = re.compile(
    r"\b(?:remiss\w*\s+från|från\s*:?)\s+(kommunstyrelsen|[a-zåäö-]*nämnden\b|[a-zåäö-]+styrelsen\b)"
    r"|\b(kommunstyrelsen|[a-zåäö-]+nämnden)\s+(?:remitterar|skickar\s+\S*\s*på\s+remiss|har\s+remitterat)",
    re.IGNORECASE,
)


def _recipient(text: str) -> str | None:
    """Who the answer to a remiss goes back to: the nämnd (or kommunstyrelsen) that sent it, from the
    letterhead; a stadsdelsnämnd is the receiver, never the sender."""
    for m in _SENDER.finditer(text[:1500]):
        body = (m.group(1) or m.group(2)).lower()
        if "stadsdels" not in body:
            return body
    return None


def _kind(text: str, questions: list[str], att_satser: list[str]) -> InquiryKind:
    head = text[:800].lower()
    # The word the letterhead names itself by comes first: a skrivelse that goes on to mention an
    # earlier motion or remiss (a follow-up) is still a skrivelse.
    first = min(
        ((m.start(), kind) for kind, pattern in (("remiss", r"\bremiss"), ("motion", r"\bmotion\b"), ("skrivelse", r"\bskrivelse"))
         if (m := re.search(pattern, head))),
        default=None,
    )
    if first and first[1] == "skrivelse" and not att_satser:
        return "skrivelse"
    if re.search(r"\bremiss", head):
        return "remiss"
    if re.search(r"\bmotion\b", head) or (att_satser and re.search(r"kommunfullmäktige", text, re.IGNORECASE)):
        return "motion"
    if re.search(r"\bskrivelse", head) or questions:
        return "skrivelse"
    return "annat"


_HEADER_LINE = re.compile(
    r"^(till|handläggare|telefon|datum|dnr|diarienummer|sida|bilaga|från|svar\s+senast)\b|^[\wåäöÅÄÖ ]{2,25}:\s|^[\d\s./:-]+$|stadsdels(nämnd|förvaltning)\s*$",
    re.IGNORECASE,
)


_KIND_LABEL = re.compile(r"^(?:skrivelse|remiss|motion)(?:\s+(?:från|till)\b.*)?$", re.IGNORECASE)
_SUBJECT_WORD = re.compile(r"\b(?:om|angående|gällande|rörande|avseende|kring)\b", re.IGNORECASE)


def _title(text: str) -> str | None:
    """The inquiry's title: a standalone heading-like line before the prose, skipping the letterhead
    ("Till …", "Handläggare …", dates) and bare labels ("Skrivelse", "Remiss från kommunstyrelsen");
    a line that says what it is about ("… om …") is preferred. ``None`` when there is none."""
    lines = text.splitlines()
    found: list[str] = []
    for i, line in enumerate(lines[:40]):
        line = line.strip()
        if not line or _HEADER_LINE.search(line):
            continue
        alone = i + 1 >= len(lines) or not lines[i + 1].strip()
        if alone and len(line) <= 120 and not re.search(r"[.?!,:]$", line) and len(words(line)) >= 2:
            if not _KIND_LABEL.match(line):
                found.append(line)
            continue
        if len(words(line)) >= 12:
            break  # the prose has begun
    return next((t for t in found if _SUBJECT_WORD.search(t)), found[0] if found else None)


def _parties(text: str) -> list[str]:
    """Party abbreviations as the inquiry writes them: "(L)", "(fp)", "Liberalerna" (registry data)."""
    found: list[str] = []
    for m in _PARTY_PAREN_RE.finditer(text):
        abbr = registry.canonical_party(m.group(1))
        if abbr and abbr not in found:
            found.append(abbr)
    names = registry.party_names()
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")s?\b")
    for m in pattern.finditer(text):
        abbr = names.get(m.group(1))
        if abbr and abbr not in found:
            found.append(abbr)
    return found


def _authors(text: str) -> list[str]:
    out: list[str] = []
    for m in _AUTHOR_RE.finditer(text):
        if registry.canonical_party(m.group(2)) is None:
            continue
        name = m.group(1).strip()
        first = name.split()[0]
        if first.lower() in STOPWORDS or registry.canonical_party(first):
            continue
        if any(fuzz.ratio(fold(name), fold(o)) >= 90 for o in out):
            continue  # the same name spelt twice (OCR: "Moller"/"Möller")
        out.append(name)
    return out


def topic_terms(text: str, n: int = 10) -> list[str]:
    """Distinctive words of the text: frequent here, rare in Swedish (wordfreq), acronyms first."""
    counts: Counter[str] = Counter()
    acronyms: Counter[str] = Counter()
    for w in words(text):
        base = w.split("-")[0] if re.fullmatch(r"[A-ZÅÄÖ]{2,6}-.*", w) else w
        if re.fullmatch(r"[A-ZÅÄÖ]{2,6}", base) and registry.canonical_party(base) is None:
            acronyms[base] += 1
            continue
        if not w[0].islower():
            continue  # names of people, places and organisations are not the topic
        lw = w.lower().strip("-")
        if lw in _GENRE_WORDS:
            continue
        if len(lw) < 5 or lw in STOPWORDS or registry.canonical_party(lw):
            continue
        counts[lw] += 1
    scored = sorted(counts, key=lambda t: -counts[t] * (8.0 - zipf_frequency(t, "sv")))
    return [a for a, _ in acronyms.most_common()][: n // 2] + scored[: n - min(len(acronyms), n // 2)]


def _receiving_district(text: str) -> str | None:
    """The one district the inquiry is addressed to, or None when it names none or several."""
    found = districts.find(text)
    if len(found) == 1:
        return found[0]
    addressed = [d for d in found if re.search(rf"\bTill\s+{re.escape(d)}", text)]
    return addressed[0] if len(addressed) == 1 else None
