"""The text rules of the assistant, in one place: ingest, index, retrieval, drafting and evaluation
all read Swedish text the same way through this module.

* **Folding** diacritics: :func:`fold` (length-preserving, so offsets stay valid: parser, registry),
  :func:`fold_loose` (compatibility decomposition, marks dropped: same-inquiry shingles) and
  :func:`fold_letters` (å/ä/ö/é … only, applied to stems: the BM25 analyzer). They are three rules on
  purpose: each is part of what its caller stores or measures (the keyword index's terms, the
  same-inquiry thresholds), so one cannot replace another without re-indexing and re-measuring.
* **Stopwords**: :data:`STOPWORDS` (drafting's short list of grammar words) and
  :func:`index_stopwords` (bm25s's Swedish list, part of the keyword analyzer).
* **Sentences** with offsets that index the text itself (:func:`sentences`), and the looser sentence
  end the chunker packs by (:data:`PACKING_SENTENCE_END`); words, stems and lexical overlap.
* **Law references**: the statutes an ingested document cites (:func:`law_references`), the BM25
  terms of a reference (:func:`law_terms`) and drafting's chapter-and-paragraph citations
  (:func:`law_citations`, :data:`LAW_REF`).
* **District neutralisation** (:func:`neutralise_districts`) and the drafter's **"Att bekräfta för"**
  wrapper around another district's local fact (:func:`confirm_local`), written and read only here.

``sentences`` gives *sentence* spans that index exactly into ``ParsedDocument.text``, and ``overlap``
is a cheap, deterministic measure that decides most support checks without the embedding model.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
from rapidfuzz import fuzz, process

_STEMMER = Stemmer.Stemmer("swedish")

# Function words that carry no topic; a short closed list of Swedish grammar words, not a domain list.
STOPWORDS = frozenset(
    """
    och i att det som en på är av för med till den har de inte om ett var jag så men ska kan när
    från vid eller även detta denna dessa deras dess sin sitt sina vi ni han hon man hur vad vilka
    vilken vilket där här då än också bara alla samt utan under efter mellan genom inom över mot
    sig sedan nu mer mest andra annan annat ut upp in blir bli blev vara varit finns fanns får
    fick kommer skulle måste bör kunna olika flera många både dock enligt hos ska skall sådan
    sådana vissa vår våra vårt er era ert dem oss honom henne man själv egna eget egen
    """.split()
)

_WORD_RE = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü][\wÅÄÖåäöÉéÜü-]*")
# A sentence ends at . ! ? followed by whitespace and an upper-case letter/digit, or at a blank line.
_SENT_END_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-ZÅÄÖ0-9])|\n\s*\n(?!\s*[a-zåäö—–-])")
_ABBREV_END_RE = re.compile(r"(?:\b(?:t\.ex|bl\.a|m\.fl|m\.m|s\.k|d\.v\.s|dvs|ca|nr|kap|jfr|resp|p\.g\.a|fr\.o\.m|t\.o\.m)\.|\b[A-ZÅÄÖ]\.)$")


@dataclass(frozen=True)
class Span:
    """A sentence (or any text piece) with its offsets in the text it came from."""

    start: int
    end: int
    text: str


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def stems(text: str) -> set[str]:
    """Stemmed content words (lower-case, no stopwords, no 1-2 letter words)."""
    out: set[str] = set()
    for w in words(text):
        lw = w.lower()
        if len(lw) < 3 or lw in STOPWORDS:
            continue
        out.add(_stem(lw))
        # Compounds and hyphenated words: also index the parts ("RSU-grupp" → rsu, grupp).
        if "-" in lw:
            out.update(_stem(p) for p in lw.split("-") if len(p) >= 3 and p not in STOPWORDS)
    return out


def overlap(claim: str, evidence: str) -> float:
    """Share of the claim's content stems that occur in the evidence (0..1); 0 for an empty claim."""
    c = stems(claim)
    if not c:
        return 0.0
    e = stems(evidence)
    hits = 0
    for s in c:
        if s in e or any(len(s) >= 5 and (s in x or x in s) and len(x) >= 5 for x in e):
            hits += 1
    return hits / len(c)


def mutual_overlap(a: set[str], b: set[str]) -> float:
    """How far two sentences' content stems (:func:`stems`) say the same thing: the smaller of the
    shares of each one's stems the other holds (0 when either is empty). Symmetric, unlike
    :func:`overlap`, so a short sentence inside a long one does not count as the same statement."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return min(shared / len(a), shared / len(b))


def squash(text: str) -> str:
    """Collapse hard line breaks and runs of whitespace (documents often wrap lines)."""
    return re.sub(r"\s+", " ", text).strip()


_WRAP_HYPHEN = re.compile(r"(\w)-[ \t]*\n\s*(?!(?:och|eller|samt)\b)([a-zåäö])")


def unwrap(text: str) -> str:
    """Text for display: hard line breaks removed, words hyphenated across a line break rejoined
    ("social-\ntjänsten" → "socialtjänsten", but "RSU-\noch CSU" stays "RSU- och CSU")."""
    return squash(_WRAP_HYPHEN.sub(r"\1\2", text))


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Split ``text[start:end]`` into sentences whose offsets index ``text`` itself.

    Hard line breaks inside a sentence are kept in the span (so ``text[s.start:s.end]`` is the exact
    quote); blank lines and sentence-final punctuation end a sentence. Common abbreviations do not.
    """
    end = len(text) if end is None else end
    region = text[start:end]
    spans: list[Span] = []
    pos = 0
    for m in _SENT_END_RE.finditer(region):
        if m.group(0).strip() == "" and "\n\n" not in re.sub(r"[ \t\r]", "", m.group(0)):
            if _ABBREV_END_RE.search(region[pos : m.start()]):
                continue
        _add_span(spans, text, start + pos, start + m.start())
        pos = m.end()
    _add_span(spans, text, start + pos, end)
    return spans


def _add_span(spans: list[Span], text: str, a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b - a >= 2:
        spans.append(Span(a, b, text[a:b]))


# ---------------------------------------------------------------------------------------------
# folding diacritics
# ---------------------------------------------------------------------------------------------
class _FoldTable(dict):
    """``str.translate`` table filled on demand: each character to one lower-case base letter."""

    def __missing__(self, codepoint: int) -> str:
        ch = chr(codepoint)
        base = unicodedata.normalize("NFD", ch)[0].lower()
        folded = base[0] if base else ch
        self[codepoint] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case ``text`` and strip diacritics, keeping its length so offsets stay valid."""
    return text.translate(_FOLD)


def fold_loose(text: str) -> str:
    """Lower-case ``text``, decompose it (compatibility forms too: a ligature "ﬁ" becomes "fi") and drop
    the combining marks. Not length-preserving; used where text is only compared (same-inquiry shingles)."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_LETTER_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "à": "a"})


def fold_letters(term: str) -> str:
    """The keyword analyzer's fold of a lower-case stem: å/ä/ö/é/è/ü/à only (part of its
    ``ANALYZER_VERSION``: stored terms depend on it)."""
    return term.translate(_LETTER_FOLD)


@lru_cache(maxsize=1)
def index_stopwords() -> frozenset[str]:
    """The keyword index's Swedish stop words (bm25s's list; longer than :data:`STOPWORDS`)."""
    from bm25s.stopwords import STOPWORDS_SWEDISH

    return frozenset(STOPWORDS_SWEDISH)


# A looser sentence end than :func:`sentences`: . ! ? (optionally a closing quote/bracket) followed by
# whitespace (the ``sep`` group). The chunker packs sentences into chunks with it; "11 kap. 2 §" would
# split after "kap.", harmless there because sentences are only packed, never dropped.
PACKING_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?P<sep>\s+)")


# ---------------------------------------------------------------------------------------------
# law references
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _statutes() -> tuple[re.Pattern[str], dict[str, str]]:
    """The regex of a paragraph reference to a statute of the glossary, and each statute's written
    forms (folded) → its glossary term."""
    from assistant.registry import glossary, tolerant_pattern

    forms: dict[str, str] = {}
    written_forms: list[str] = []
    for term in glossary().values():
        if not term.is_law:
            continue
        for written in (term.term, *term.law_names):
            forms[re.sub(r"\s+", " ", fold(written))] = term.term
            written_forms.append(written)
    pattern = "|".join(tolerant_pattern(w) for w in sorted(written_forms, key=len, reverse=True))
    paras = r"\d+\s?[a-z]?(?:\s*(?:,|och|–|-)\s*\d+\s?[a-z]?)*"
    regex = re.compile(
        rf"(?:(?P<kap>\d+)\s*kap(?:itlet|\.)?\s*)?(?P<par>{paras})\s*§§?\s*"
        rf"(?:(?:första|andra|tredje|fjärde|femte|\d+)\s+st(?:ycket|\.)?\s*)?(?:i\s+)?"
        rf"(?P<law>{pattern})(?![\w])",
        re.IGNORECASE,
    )
    return regex, forms


_SFS_NUMBER = re.compile(
    r"(?:\bSFS\s*(?P<a>\d{4}:\d{1,4})|\b(?:lag(?:en)?|förordning(?:en)?|\w+lag(?:en)?)\s*\((?:SFS\s*)?(?P<b>\d{4}:\d{1,4})\))",
    re.IGNORECASE,
)


def _law_key(written: str) -> str | None:
    forms = _statutes()[1]
    key = re.sub(r"\s+", " ", fold(written))
    if key in forms:
        return forms[key]
    best = process.extractOne(key, list(forms), scorer=fuzz.ratio, score_cutoff=85)
    return forms[best[0]] if best else None


def law_references(text: str) -> list[str]:
    """The statute references of a document, normalised and in order of appearance, each once:
    "11 kap 1§ socialtjdnstlagen" → "11 kap. 1 § SoL", "(SFS 2025:400)" → "SFS 2025:400"."""
    refs: list[tuple[int, str]] = []
    for m in _statutes()[0].finditer(text):
        law = _law_key(m.group("law"))
        if not law:
            continue
        kap = f"{m.group('kap')} kap. " if m.group("kap") else ""
        for par in re.split(r"\s*(?:,|och)\s*", m.group("par")):
            par = re.sub(r"\s+", " ", re.sub(r"(\d)([a-z])$", r"\1 \2", par.strip()))
            par = re.sub(r"\s*[–-]\s*", "–", par)
            refs.append((m.start(), f"{kap}{par} § {law}"))
    for m in _SFS_NUMBER.finditer(text):
        refs.append((m.start(), f"SFS {m.group('a') or m.group('b')}"))
    out: list[str] = []
    for _, ref in sorted(refs):
        if ref not in out:
            out.append(ref)
    return out


_TERM_CHAPTER = re.compile(r"(?i)\b(\d{1,3})\s*kap(?:itlet|\.)?\s*(\d{1,3})\s*([a-z])?\s*§")
_TERM_PARAGRAPH = re.compile(r"(?i)\b(\d{1,3})\s*([a-z])?\s*§")
_TERM_SFS = re.compile(r"(?i)\bSFS\s*(\d{4})\s*:\s*(\d+)")


def law_terms(text: str) -> list[str]:
    """Normalised law-reference terms in ``text`` ("11 Kap. 2 §" → ``11kap2§``)."""
    return [t for t, _ in law_matches(text)]


def law_matches(text: str) -> list[tuple[str, tuple[int, int]]]:
    """:func:`law_terms` with the span each term was read from (the keyword analyzer blanks them)."""
    found: list[tuple[str, tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []
    for m in _TERM_CHAPTER.finditer(text):
        found.append((f"{int(m[1])}kap{int(m[2])}{(m[3] or '').lower()}§", m.span()))
        taken.append(m.span())
    for m in _TERM_PARAGRAPH.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        found.append((f"{int(m[1])}{(m[2] or '').lower()}§", m.span()))
        taken.append(m.span())
    for m in _TERM_SFS.finditer(text):
        found.append((f"sfs{m[1]}:{int(m[2])}", m.span()))
        taken.append(m.span())
    return found


# Law references in a draft's sentence: "4 kap 1§ socialtjänstlagen", "11 Kap 2 § i Socialtjänstlagen",
# "19 § MBL", "SFS 2025:400".
LAW_REF = re.compile(
    r"\d+\s*kap\.?\s*\d+\s*§\s*(?:\d+\s*st\.?\s*)?(?:i\s+)?(?:[A-ZÅÄÖa-zåäö]*lagen|\(\d{4}:\d+\)|[A-ZÅÄÖ]{2,5})?"
    r"|\d+\s*§\s*(?:\d+\s+)?(?:i\s+)?(?:[A-ZÅÄÖa-zåäö]*lagen|[A-ZÅÄÖ]{2,5})"  # "9 § 4 LSS": a paragraph's point
    r"|SFS\s*\d{4}:\d+",
    re.IGNORECASE,
)
SOL_REF = re.compile(r"\d+\s*kap\.?\s*\d+\s*§[^.]{0,12}?(socialtjänstlag|\bSoL\b)", re.IGNORECASE)
"""A chapter-and-paragraph reference to the socialtjänstlag (replaced by SFS 2025:400)."""
NAMED_LAW = re.compile(r"\b([a-zåäö]{3,}(?:lagen|balken|förordningen))s?\b|\((\d{4}:\d+)\)|\bSFS\s*(\d{4}:\d+)", re.IGNORECASE)
"""A law named in a sentence: "skollagen", "(2010:800)", "SFS 2025:400"."""

_LAW_CITE = re.compile(
    r"(\d+)\s*kap\.?\s*(\d+)\s*§\s*(?:\d+\s*st\.?\s*)?(?:första\s+stycket\s+)?(?:i\s+)?"
    r"([a-zåäö]*(?:lagen|balken|förordningen)|SoL|LSS|PBL|MB|OSL|FL)\b",
    re.IGNORECASE,
)
_LAW_ABBREVIATIONS = {"sol": "socialtjänstlagen", "mb": "miljöbalken", "pbl": "plan- och bygglagen", "osl": "offentlighets- och sekretesslagen", "fl": "förvaltningslagen"}


def law_citations(sentence: str) -> list[tuple[str, str, tuple[int, int]]]:
    """The chapter-and-paragraph references in a sentence: (law, "14 kap. 1 §", span)."""
    out = []
    for m in _LAW_CITE.finditer(sentence):
        law = m.group(3).lower()
        out.append((_LAW_ABBREVIATIONS.get(law, law), f"{int(m.group(1))} kap. {int(m.group(2))} §", m.span()))
    return out


# ---------------------------------------------------------------------------------------------
# district neutralisation
# ---------------------------------------------------------------------------------------------
NEUTRAL_DISTRICT = "stadsdelen"


def neutralise_districts(text: str) -> str:
    """Every district name (any spelling, genitive, OCR damage) replaced by "stadsdelen"."""
    from assistant.registry import district_mentions

    out, pos = [], 0
    for _, start, end in district_mentions(text):
        out.append(text[pos:start])
        out.append(NEUTRAL_DISTRICT)
        pos = end
    out.append(text[pos:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# "Att bekräfta för …": the drafter's wrapper around another district's local fact
# ---------------------------------------------------------------------------------------------
CONFIRM = "Att bekräfta"
"""What the reviewer is to confirm: the flag label ("☐ Att bekräfta") and the lead of a local fact."""

_CONFIRM_WRAPPER = re.compile(rf"^{CONFIRM} för [^:]+:[^”]*”|”")
_CONFIRM_LEAD = re.compile(rf"^\s*{CONFIRM} för [^:\n]{{1,80}}:\s*", re.IGNORECASE)
_CONFIRM_START = re.compile(rf"^\s*(?:☐\s*)?{CONFIRM}", re.IGNORECASE)


def confirm_local(who: str, source: str, quote: str) -> str:
    """Another district's local fact put to the receiving district: "Att bekräfta för Farsta: I
    Skarpnäck anger förvaltningen att ”…”"."""
    return f"{CONFIRM} för {who}: I {source} anger förvaltningen att ”{quote}”"


def unwrap_confirm(text: str) -> str:
    """The quoted words of a :func:`confirm_local` paragraph (its lead and quotation marks removed)."""
    return _CONFIRM_WRAPPER.sub("", text)


def strip_confirm_lead(sentence: str) -> str:
    """``sentence`` without a leading "Att bekräfta för X: " (any case)."""
    return _CONFIRM_LEAD.sub("", sentence)


def starts_with_confirm(text: str) -> bool:
    """Does ``text`` open with "Att bekräfta" (or "☐ Att bekräfta"), a model's or the drafter's flag?"""
    return _CONFIRM_START.match(text) is not None
