"""Which precedent sentences may be quoted, and how quoted sentences group into citations.

A precedent sentence is quoted only when it stands alone as an answer: not a fragment, heading,
signature or decision formula, not a sentence about the inquiry or its authors, not one that leans
on the sentence before it without that sentence. These filters are genre rules of the
tjänsteutlåtande, shared by gathering (:mod:`assistant.draft.gather`), the common ground and the
child impact analysis; kept apart from retrieval and scoring so every reader applies the same ones.
:class:`Candidate` is the sentence they judge; :func:`adjacent_runs` and :func:`by_document` say how
the chosen ones are cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from assistant import registry
from assistant.draft import adapt
from assistant.models import ParsedDocument
from assistant.text import Span, sentences, squash, stems

_INQUIRY_ROLE = re.compile(r"\b(motionär|skribent|förslagsställar|frågeställar)\w*", re.IGNORECASE)
_ABOUT_INQUIRY = re.compile(
    r"\b(skrivelse|motion|remiss)\w*\b.*\b(lyft|ställ|fråg|önsk|föresl|tar upp|rör|framför|beskriv|uppmanar)"
    r"|\b(lyft|ställ|önsk|föresl|framför)\w*\b.*\b(skrivelse|motion|remiss)\w*\b",
    re.IGNORECASE,
)
ENDS_SENTENCE = re.compile(r"[.!?][”\"')\]]*$")
_QUESTION_END = re.compile(r"\?[”\"')\]]*$")
_DEMONSTRATIVE_START = re.compile(
    r"^(?:(?:flera|några|många|alla|båda|var\s+och\s+en|en|ett|ingen|inget|någon|något)\s+av\s+)?(denna|detta|dessa|det här|den här|de här)\b",
    re.IGNORECASE,
)
# Openings that lean on the sentence before ("Exempelvis kan det handla om …"): used only with it.
_DEPENDENT_START = re.compile(
    r"^(exempelvis|till exempel|dessutom|därutöver|därtill|utöver det|därför|därmed|däremot|anledningen|vidare|således|alltså|även detta)\b", re.IGNORECASE
)
# Further openings that tie a sentence to the one before it ("Samtidigt …", "Det kan jämföras med …").
_CONNECTIVE_START = re.compile(
    r"^(?:samtidigt|men|och|även|också|dock|det kan|det gäller|här|där|i övrigt|utöver detta|sammantaget)\b", re.IGNORECASE
)
# The inquiry's authors as subject ("De vill även att …", "Hon föreslår …"): the precedent restating its inquiry.
_AUTHOR_WISH = re.compile(
    r"^(de|han|hon|hen|partiet|ledamöterna|ledamoten|förslagsställarna)\s+(vill|önskar|föreslår|yrkar|menar|anser|efterfrågar|undrar|framhåller|lyfter|pekar|begär)\b",
    re.IGNORECASE,
)
# "Jan Jönsson (L) föreslår …": a sentence naming a politician's party is about the inquiry, not an answer.
_PARTY_PAREN = re.compile(r"\(\s*[A-Za-zÅÄÖåäö]{1,3}\s*\)")
# The document describing itself ("Förvaltningen redogör nedan för …"): about the answer, not an answer.
_ABOUT_ITSELF = re.compile(r"^(förvaltningen|nämnden)\s+(redogör|redovisar|beskriver)\s+(nedan|här|i det följande|i detta tjänsteutlåtande|för)\b", re.IGNORECASE)
_META_START = re.compile(
    r"^(i\s+)?(skrivelsen|motionen|remissen|skribenten|skribenterna|motionären|motionärerna|förslagsställaren|frågeställaren)\b",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    """A precedent sentence considered for a question: ``similarity`` is the embedding cosine of the
    retrieved passage it lies in (stored chunk vectors, no extra embedding), ``lexical`` its own overlap."""

    doc: ParsedDocument
    span: Span
    section: str
    similarity: float = 0.0
    lexical: float = 0.0
    bonus: float = 0.0
    own: bool = False
    """From the receiving district's own earlier answer (or its former district's): its own words."""
    head: bool = False
    """The first main clause of a longer sentence (:meth:`~assistant.draft.localness.Classifier.split`),
    written with a full stop of its own."""

    @property
    def score(self) -> float:
        return self.similarity + 0.5 * self.lexical + self.bonus

    @property
    def key(self) -> tuple[str, int]:
        return (self.doc.doc_id, self.span.start)


# A pronoun subject opening the sentence ("Den ligger därmed väl inom …", "De har fått …"): what "den"
# is stands in the sentence before. Not "Den som …" (anyone who) nor a determiner ("Den nya planen",
# "De personer som …"): a finite verb in -r or a passive in -s follows the pronoun itself.
_PRONOUN_START = re.compile(r"^(?:den|de|han|hon|hen)\s+(?!som\b)[a-zåäö]+(?:r|s)\b(?!\s+som\b)", re.IGNORECASE)


def leans_on_context(text: str) -> bool:
    """A sentence that only makes sense after the one before it: never quoted on its own."""
    return bool(_DEMONSTRATIVE_START.match(text) or _DEPENDENT_START.match(text) or _CONNECTIVE_START.match(text) or _PRONOUN_START.match(text))


def with_antecedents(chosen: list[Candidate], restatement_ratio: int) -> list[Candidate]:
    """Add the sentence before one that opens with "Denna/Detta/Dessa …": without it the reader
    cannot tell what "denna praxis" is."""
    out = list(chosen)
    have = {c.key for c in chosen}
    for c in chosen:
        opening = squash(c.span.text)
        demonstrative = bool(_DEMONSTRATIVE_START.match(opening))
        if not demonstrative and not _DEPENDENT_START.match(opening):
            continue
        section = next((s for s in c.doc.sections if s.body_start <= c.span.start < s.end), None)
        before = [sp for sp in sentences(c.doc.text, section.body_start, c.span.start) if sp.end <= c.span.start] if section else []
        if before and (c.doc.doc_id, before[-1].start) in have:
            continue
        if before and usable(squash(before[-1].text), "", restatement_ratio):
            out.append(Candidate(c.doc, before[-1], c.section, c.similarity, 0.0))
            have.add((c.doc.doc_id, before[-1].start))
        elif not demonstrative:
            # "Exempelvis …" after a sentence we may not use (it restates the inquiry): meaningless alone.
            out.remove(c)
    return out


def _starts_with_party(text: str) -> bool:
    """"Liberalerna önskar …": a sentence about what the inquiry's party wants, not an answer."""
    first = re.match(r"[\wÅÄÖåäö]+", text)
    return bool(first) and registry.canonical_party(first.group(0)) is not None and len(first.group(0)) > 3


def same_text(a: str, b: str) -> bool:
    """The same sentence, give or take a few characters (precedents repeat their summary in the body)."""
    return fuzz.ratio(a, b) >= 90


def usable(text: str, inquiry_text: str, restatement_ratio: int, stance_ok: bool = False) -> bool:
    """A precedent sentence that answers something: not a heading-like fragment, not the decision
    formula, not a lead-in ending in ":", not a sentence about or quoting the inquiry itself.

    ``stance_ok``: when answering a motion, another administration's stance on *its* motion ("Förvaltningen
    delar motionärens uppfattning …") is kept (the drafter flags it for confirmation)."""
    if not text[:1].isupper() and not text[:1].isdigit():
        return False  # a fragment (OCR page break, list continuation) does not stand alone
    if not ENDS_SENTENCE.search(text):
        return False  # a signature ("Namn Stadsdelsdirektör …"), heading, table row or broken-off line
    if _QUESTION_END.search(text):
        return False  # a question (the precedent restating the inquiry's "Fråga 3: …?") answers nothing
    if _INQUIRY_ROLE.search(text) and not (stance_ok and adapt.STANCE.search(text)):
        return False  # about the motionär – unless it is the administration's stance on the proposal
    if len(stems(text)) < 4 or text.endswith(":") or _is_formula(text) or _META_START.match(text) or _ABOUT_ITSELF.match(text):
        return False
    if _ABOUT_INQUIRY.search(text) or _starts_with_party(text) or _AUTHOR_WISH.match(text):
        return False
    if any(registry.canonical_party(m.group(0)) for m in _PARTY_PAREN.finditer(text)):
        return False
    return fuzz.partial_ratio(text, squash(inquiry_text)) < restatement_ratio


def _is_formula(text: str) -> bool:
    t = text.lower()
    return "tjänsteutlåtande" in t and ("svar på" in t or "överlämna" in t)


def adjacent_runs(group: list[Candidate], text: str) -> list[list[Candidate]]:
    """Consecutive sentences (only whitespace between them) become one citation span."""
    runs: list[list[Candidate]] = []
    for c in group:
        if runs and not text[runs[-1][-1].span.end : c.span.start].strip() and runs[-1][-1].section == c.section:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def by_document(chosen: list[Candidate]) -> list[list[Candidate]]:
    """``chosen`` grouped per document (documents in order of first use), each group in document order."""
    by_doc: dict[str, list[Candidate]] = {}
    for c in chosen:
        by_doc.setdefault(c.doc.doc_id, []).append(c)
    for group in by_doc.values():
        group.sort(key=lambda c: c.span.start)
    return list(by_doc.values())
