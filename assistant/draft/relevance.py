"""Does the archive answer a point of an inquiry, and which answers answer it?

For every point (question or att-sats) the drafter retrieves the receiving district's own earlier
answers and other districts' answers and scores each: its best answering passage (cosine plus lexical
overlap) and how much of what the point asks about the document mentions at all (IDF-weighted
coverage, leaving out who asks and who is asked). :class:`~assistant.settings.DraftingSettings` says
when that is enough; the thresholds are set on the tuning half of the development archive only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant import registry
from assistant.draft import districts
from assistant.models import Inquiry, ParsedDocument, Precedent
from assistant.settings import DraftingSettings

_PARTY_PAREN = re.compile(r"\(\s*[A-Za-zÅÄÖåäö]{1,3}\s*\)")


@dataclass
class Scored:
    """One retrieved answer document and how well it answers a point."""

    precedent: Precedent
    doc: ParsedDocument
    score: float
    """Best answering-section passage: cosine + 0.5 · lexical overlap with the point."""
    coverage: float
    """IDF-weighted share of the point's terms found in the document."""
    own: bool
    referenced: bool = False
    """An own earlier answer the inquiry itself refers to (by date or diarienummer)."""

    def evidence(self, t: DraftingSettings) -> float:
        return self.score + t.coverage_weight * self.coverage

    def answers(self, t: DraftingSettings) -> bool:
        return (self.referenced and self.score >= t.referenced_min) or self.evidence(t) >= t.evidence_min


@dataclass
class PointEvidence:
    """What retrieval found for one point: each answer document with its evidence (own district first)."""

    point: str
    ranked: list[Scored] = field(default_factory=list)
    same_inquiry: frozenset[str] = frozenset()
    """The retrieved answers to this very inquiry (set by ``Gatherer.gather`` once every point is
    scored; empty for a point scored alone)."""

    def lead(self, t: DraftingSettings) -> float:
        """How far the best document stands out: its evidence less the background, the mean evidence
        of the lower half of the point's candidates (0 with fewer than two). In an archive larger than
        one retrieval the nearest unrelated documents rise with the archive; the gap to the
        background does not, which is why it decides there (``archive_criterion``)."""
        found = self._found(t)
        if len(found) < 2:
            return 0.0
        low = found[len(found) // 2 :]
        return found[0] - sum(low) / len(low)

    def _found(self, t: DraftingSettings) -> list[float]:
        """The evidence of each candidate with a matching passage, best first: what the decision
        features are read from (as ``eval/calibrate_relevance.py`` reads them)."""
        return sorted((s.evidence(t) for s in self.ranked if s.score > 0.0), reverse=True)

    def feature(self, criterion: str, t: DraftingSettings) -> float:
        """A decision feature by the name ``eval/calibrate_relevance.py`` gives it: ``best``, ``lead``
        or ``best+λ·lead``."""
        if criterion == "best":
            return next(iter(self._found(t)), 0.0)
        if criterion == "lead":
            return self.lead(t)
        m = re.fullmatch(r"best\+([\d.]+)·lead", criterion)
        if m is None:
            raise ValueError(f"unknown relevance criterion {criterion!r} (best, lead or best+λ·lead)")
        return self.feature("best", t) + float(m.group(1)) * self.lead(t)

    def answering(self, t: DraftingSettings) -> list[Scored]:
        """The documents that answer the point, in rank order. The receiving district's own earlier
        answer comes first when it answers and is its history on this point (:meth:`own_history`)."""
        best_other = max((s.evidence(t) for s in self.ranked if not s.own), default=0.0)
        return [s for s in self.ranked if s.answers(t) and (not s.own or self.own_history(s, t, best_other))]

    def own_history(self, s: Scored, t: DraftingSettings, best_other: float) -> bool:
        """Is the own earlier answer ``s`` the district's history on this point, not its answer on
        another subject that shares words with it (its budget answer for a question on interpreters'
        costs)? It is when the inquiry refers to it; when it answers this very inquiry; when it
        answers the same inquiry as an own answer the inquiry refers to (a predecessor district's
        answer beside the one a follow-up names). Otherwise only when nothing better tells: the
        inquiry refers to no own answer, no other district's answer to this very inquiry was found,
        and it answers about as well as the best other district's (``own_unreferenced_margin``).
        On the tuning half every own answer on the topic was one the inquiry refers to, and every
        unreferenced one on another topic fell in a case with a referenced answer or with other
        districts' answers to the same inquiry (``eval/calibrate_own_history.py``)."""
        if s.referenced or s.doc.doc_id in self.same_inquiry:
            return True
        referenced_groups = {r.precedent.inquiry_group for r in self.ranked if r.referenced}
        if referenced_groups:
            return s.precedent.inquiry_group is not None and s.precedent.inquiry_group in referenced_groups
        if any(not r.own for r in self.ranked if r.doc.doc_id in self.same_inquiry):
            return False
        return s.evidence(t) >= best_other - t.own_unreferenced_margin

    def referenced_answer(self, t: DraftingSettings) -> bool:
        """An own earlier answer the inquiry refers to answers the point (a follow-up)."""
        return any(s.referenced and s.score >= t.referenced_min for s in self.ranked)

    def same_inquiry_support(self, t: DraftingSettings) -> int:
        """How many retrieved answers to this very inquiry (``same_inquiry``) answer the point: other
        districts that answered the same skrivelse answer it, whatever else lies near it in the archive."""
        return sum(1 for s in self.ranked if s.doc.doc_id in self.same_inquiry and s.answers(t))

    def whole_archive(self, available: int | None) -> bool:
        """Every answer document the archive holds (``available``, exclusions left out) is among the
        point's candidates: the archive is smaller than one retrieval, so nothing unrelated was left
        out and no level of unrelated documents can be read from a larger archive's ranking."""
        return available is not None and len({s.doc.doc_id for s in self.ranked}) >= available

    def answerable(self, t: DraftingSettings, available: int | None = None) -> bool:
        """Does the archive answer this point? See :class:`~assistant.settings.DraftingSettings`."""
        if self.referenced_answer(t) or self.same_inquiry_support(t) >= t.same_inquiry_support_min:
            return True
        if self.whole_archive(available):
            return self.feature(t.whole_archive_criterion, t) >= t.whole_archive_evidence_min
        return self.feature(t.archive_criterion, t) >= t.archive_evidence_min


def inquiry_answered(evidence: list[PointEvidence], t: DraftingSettings, available: int | None = None) -> bool:
    """Does the archive answer the inquiry: at least ``answered_share_min`` of its points are
    answerable (``available``: the archive's answer documents, see :meth:`PointEvidence.whole_archive`).
    A minority of points touching some answer does not make an inquiry answerable: off-topic
    inquiries share a word or two with the archive in one of their questions."""
    answered = [ev.answerable(t, available) for ev in evidence]
    return bool(answered) and sum(answered) / len(answered) >= t.answered_share_min


_MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december")


def what_is_asked(point: str, inquiry: Inquiry) -> str:
    """The point without who asks and who is asked (party, author and district names): an answer
    need not repeat them, so they must not count against its coverage of the point."""
    names = [*inquiry.authors, *registry.party_names().values(), *registry.party_names().keys()]
    text = _PARTY_PAREN.sub(" ", point)
    for _, a, b in sorted(districts.mentions(text), key=lambda m: -m[1]):
        text = text[:a] + " " + text[b:]
    for name in sorted(set(names), key=len, reverse=True):
        if len(name) > 2:
            text = re.sub(rf"\b{re.escape(name)}\w*", " ", text)
    return text


def date_forms(iso: str) -> list[str]:
    """How a document date is written in running text: "2022-05-24", "24 maj 2022"."""
    try:
        y, mo, d = (int(x) for x in iso.split("-"))
    except ValueError:
        return [iso]
    return [iso, f"{d} {_MONTH_NAMES[mo - 1]} {y}"]
