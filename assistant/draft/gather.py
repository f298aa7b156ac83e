"""Gathering: for every point of an inquiry, the precedent sentences that answer it.

Retrieval and scoring for the precedent drafter: per point it retrieves the receiving district's own
earlier answers (those the inquiry refers to first) and other districts' answers, lets
:mod:`assistant.draft.relevance` decide whether the archive answers the inquiry at all, and chooses
the quotable sentences (:mod:`assistant.draft.quotable`) that answer each point best, each sentence
for one point only. Shared by the precedent drafter, the LLM drafter and the workbench, so all three
decide "no precedent" and choose evidence the same way; kept apart from composing, which only reads
the :class:`Gathered` result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from assistant import registry
from assistant.draft import relevance
from assistant.draft.quotable import Candidate, same_text, usable
from assistant.draft.relevance import PointEvidence, Scored, date_forms, what_is_asked
from assistant.draft.sections import INQUIRY_KINDS, RESTATING_ROLES, answer_sections
from assistant.index.keyword import analyze
from assistant.models import Inquiry, ParsedDocument, Precedent, SearchFilters
from assistant.settings import DraftingSettings
from assistant.text import overlap, sentences, squash, stems


_LETTERHEAD_DATE = re.compile(r"^[ \t]*(?:datum|date)[ \t]*:[^\n]*$", re.IGNORECASE | re.MULTILINE)
"""The inquiry's own date in its letterhead: not a reference to an earlier answer."""


@dataclass
class Gathered:
    """What retrieval found for an inquiry: per point, the chosen precedent sentences."""

    points: list[str]
    inquiry: Inquiry | None = None
    chosen: list[list[Candidate]] = field(default_factory=list)
    docs: dict[str, ParsedDocument] = field(default_factory=dict)
    precedents: dict[str, Precedent] = field(default_factory=dict)
    point_scores: list[float] = field(default_factory=list)
    """Per point, the strongest evidence of any document with a matching passage: the ``best``
    feature the relevance decision reads (:meth:`PointEvidence.feature`), shown in the no-precedent flag."""
    evidence: list[PointEvidence] = field(default_factory=list)
    same_inquiry: set[str] = field(default_factory=set)
    """Retrieved answers to this very inquiry (see :func:`answers_same_inquiry`): only they state a
    position on its att-satser and are listed as having answered it."""

    @property
    def retrieved(self) -> dict[str, Scored]:
        """Every answer document retrieved for some point, by id (its score for the last such point)."""
        return {s.doc.doc_id: s for ev in self.evidence for s in ev.ranked}

    @property
    def best_similarity(self) -> float:
        return max(self.point_scores, default=0.0)

    @property
    def has_precedent(self) -> bool:
        return any(self.chosen)


class Gatherer:
    """Retrieves and scores precedents for a drafter; ``assistant`` gives ``.retriever``, ``.index``,
    ``.store``. Remembers, for the drafter's lifetime, which own answers an inquiry refers to."""

    def __init__(self, assistant, thresholds: DraftingSettings) -> None:
        self.assistant = assistant
        self.thresholds = thresholds
        self._referenced: dict[tuple[str, str, tuple[str, ...]], set[str]] = {}

    def gather(self, inquiry: Inquiry, exclude_doc_ids: list[str]) -> Gathered:
        """Retrieve precedents for every point and choose the sentences that answer it.

        The receiving district's own earlier answers (and its former districts', through the
        registry) come first: they are its own words. Other districts' answers follow. Shared with
        the LLM drafter, so both decide "no precedent" and choose evidence the same way. Each
        sentence goes to the one point it answers best, so no sentence is used twice.
        """
        found = Gathered(points=self.points(inquiry), inquiry=inquiry)
        found.evidence = [self.score_point(point, inquiry, exclude_doc_ids) for point in found.points]
        retrieved = found.retrieved
        found.same_inquiry = answers_same_inquiry(
            inquiry,
            {d: s.doc for d, s in retrieved.items()},
            {d: s.precedent.inquiry_group for d, s in retrieved.items()},
            self.thresholds,
        )
        same_inquiry = frozenset(found.same_inquiry)
        for ev in found.evidence:
            ev.same_inquiry = same_inquiry
        records = self.assistant.index.archive_features(self.assistant.store).records()
        available = sum(r["kind"] not in INQUIRY_KINDS and d not in exclude_doc_ids for d, r in records.items())
        inquiry_answered = relevance.inquiry_answered(found.evidence, self.thresholds, available)
        raw: list[list[Candidate]] = []
        for point, scored in zip(found.points, found.evidence):
            found.point_scores.append(scored.feature("best", self.thresholds))
            cands: list[Candidate] = []
            if not inquiry_answered:
                raw.append(cands)
                continue
            used_docs = 0
            for s in scored.answering(self.thresholds):
                if not s.own and used_docs >= self.thresholds.max_docs_per_question:
                    continue
                more = self.candidates(s.doc, s.precedent, point, inquiry, own=s.own)
                if not more:
                    continue
                used_docs += not s.own
                found.docs[s.doc.doc_id] = s.doc
                found.precedents[s.doc.doc_id] = s.precedent
                cands.extend(more)
            if cands:
                top = max((c for c in cands if not c.own), key=lambda c: c.similarity + 0.5 * c.lexical, default=None)
                for c in cands:
                    c.bonus = self.thresholds.own_history_bonus if c.own else self.thresholds.top_precedent_bonus if top is not None and c.doc.doc_id == top.doc.doc_id else 0.0
            raw.append(cands)
        owner: dict[tuple[str, int], tuple[float, int]] = {}
        for i, cands in enumerate(raw):
            for c in cands:
                if c.key not in owner or c.score > owner[c.key][0]:
                    owner[c.key] = (c.score, i)
        for i, cands in enumerate(raw):
            mine = [c for c in cands if owner[c.key][1] == i]
            found.chosen.append(self.select(mine))
        return found

    def score_point(self, point: str, inquiry: Inquiry, exclude_doc_ids: list[str]) -> PointEvidence:
        """How well each retrieved answer answers ``point``: the receiving district's own answers
        first, then other districts'. A document's score is its best answering-section passage,
        ``cosine + 0.5·lexical overlap`` with the point."""
        retriever = self.assistant.retriever
        keyword = self.assistant.index.keyword
        evidence = PointEvidence(point=point)
        subject = analyze(what_is_asked(point, inquiry))
        referenced = self.referenced_own(inquiry, exclude_doc_ids)
        batches: list[tuple[list[Precedent], bool]] = []
        if inquiry.district:
            own = SearchFilters(exclude_doc_ids=list(exclude_doc_ids), district=inquiry.district)
            batches.append((retriever.precedents(point, k=self.thresholds.own_docs_per_question, filters=own), True))
            if referenced:
                only = SearchFilters(exclude_doc_ids=[d for d in self.assistant.index.document_ids() if d not in referenced])
                batches.insert(0, (retriever.precedents(point, k=len(referenced), filters=only), True))
        others = SearchFilters(exclude_doc_ids=list(exclude_doc_ids), exclude_district=inquiry.district)
        batches.append((retriever.precedents(point, k=self.thresholds.max_docs_per_question + 3, filters=others), False))
        seen: set[str] = set()
        for precs, own in batches:
            for p in precs:
                if p.kind in INQUIRY_KINDS or p.doc_id in exclude_doc_ids or p.doc_id in seen:
                    continue
                seen.add(p.doc_id)
                doc = self.assistant.store.get(p.doc_id)
                if doc is None:
                    continue
                spans = [(sec.body_start, sec.end) for sec in answer_sections(doc)]
                doc_best = max(
                    (
                        (q.vector_similarity or 0.0) + 0.5 * overlap(point, q.text)
                        for q in p.passages
                        if any(a < q.end and q.start < b for a, b in spans)
                    ),
                    default=0.0,
                )
                evidence.ranked.append(
                    Scored(p, doc, doc_best, keyword.coverage(subject, p.doc_id), own, referenced=p.doc_id in referenced)
                )
        return evidence

    def referenced_own(self, inquiry: Inquiry, exclude_doc_ids: list[str]) -> set[str]:
        """The receiving district's own earlier answers (its former districts' included) that the
        inquiry refers to by diarienummer or by date ("I sitt svar den 24 maj 2022 …"): a follow-up
        is answered first from them.

        A diarienummer names one answer; a date does not (in an archive of hundreds of answers, other
        answers of the district bear the same date), so dates count only when no diarienummer does,
        and never the inquiry's own date in its letterhead ("Datum: …")."""
        if not inquiry.district:
            return set()
        cache = self._referenced
        key = (inquiry.text, inquiry.district, tuple(exclude_doc_ids))
        if key not in cache:
            current = registry.current_district(inquiry.district)
            text = squash(_LETTERHEAD_DATE.sub(" ", inquiry.text)).lower()
            by_dnr, by_date = set(), set()
            for doc_id, r in self.assistant.index.archive_features(self.assistant.store).records().items():
                if doc_id in exclude_doc_ids or r["kind"] in INQUIRY_KINDS or registry.current_district(r["district"]) != current:
                    continue
                dnr, date = r["diarienummer"], r["date"]
                if dnr and squash(dnr).lower() in text:
                    by_dnr.add(doc_id)
                elif date and any(d in text for d in date_forms(date)):
                    by_date.add(doc_id)
            cache[key] = by_dnr or by_date
        return cache[key]

    @staticmethod
    def points(inquiry: Inquiry) -> list[str]:
        """What the draft must answer: questions, att-satser, or else the inquiry's topic."""
        points = [*inquiry.questions, *inquiry.att_satser]
        if points:
            return points
        # No explicit question: the inquiry's first prose paragraphs (not the letterhead) are the point.
        prose = [squash(b) for b in re.split(r"\n\s*\n", inquiry.text) if len(b.split()) >= 12 and re.search(r"[.!?]\s*$", b.strip())]
        return [" ".join(prose[:2])[:700] or " ".join(inquiry.topic_terms) or squash(inquiry.text)[:700]]

    def candidates(self, doc: ParsedDocument, precedent: Precedent, point: str, inquiry: Inquiry, own: bool = False) -> list[Candidate]:
        """Sentences of ``doc``'s answering sections, each with the similarity of the retrieved passage
        it lies in; sentences outside every retrieved passage get the document's best answer-passage
        similarity less ``outside_passage_penalty`` (a precedent answers with its whole section)."""
        # The child impact analysis has its own section in the draft.
        sections = [s for s in answer_sections(doc) if s.role != "child_analysis"]
        answer_sims = [
            p.vector_similarity or 0.0 for p in precedent.passages if any(s.body_start < p.end and p.start < s.end for s in sections)
        ]
        fallback = max(answer_sims, default=0.0) - self.thresholds.outside_passage_penalty
        # The precedent's own restatement of the inquiry it answered ("Ärendet", "Bakgrund"): a summary
        # that repeats it is the other inquiry talking, not the administration answering.
        restated = squash(" ".join(doc.text[s.body_start : s.end] for s in doc.sections if s.role in RESTATING_ROLES))
        ratio = self.thresholds.restatement_ratio
        out: list[Candidate] = []
        for sec in sections:
            for sp in sentences(doc.text, sec.body_start, sec.end):
                text = squash(sp.text)
                if not usable(text, inquiry.text, ratio, stance_ok=inquiry.kind in ("motion", "remiss")) or (restated and fuzz.partial_ratio(text, restated) >= ratio):
                    continue
                inside = [p.vector_similarity or 0.0 for p in precedent.passages if p.start <= sp.start < p.end]
                similarity = max(inside) if inside else fallback
                out.append(Candidate(doc, sp, sec.canonical, similarity, overlap(point, text), own=own))
        return out

    def select(self, cands: list[Candidate]) -> list[Candidate]:
        """The sentences a point is answered with: the best-scoring ones (within ``sentence_margin`` of
        the best, at most ``max_sentences_per_question``) that share a word with it, none repeated."""
        if not cands:
            return []
        t = self.thresholds
        best = max(c.score for c in cands)
        chosen: list[Candidate] = []
        for c in sorted(cands, key=lambda c: -c.score):
            if c.score < max(t.sentence_min_score, best - t.sentence_margin) or len(chosen) >= t.max_sentences_per_question:
                break
            if c.lexical <= 0.0:
                continue  # shares no content word with the question: it only rides on its passage's score
            text = squash(c.span.text)
            if any(same_text(text, squash(o.span.text)) for o in chosen):
                continue  # precedents repeat their summary in the body
            chosen.append(c)
        return chosen


def answers_same_inquiry(inquiry: Inquiry, docs: dict[str, ParsedDocument], groups: dict[str, str | None], thresholds: DraftingSettings) -> set[str]:
    """Which of ``docs`` answer this very inquiry: those that name it (:func:`names_inquiry`), and
    those the retriever groups with one that does (``groups``: document → same-inquiry group). Another
    motion's stance, however alike its att-satser are numbered, is not a position on this one."""
    answers = {d: doc for d, doc in docs.items() if doc.metadata.kind not in INQUIRY_KINDS}
    naming = {d for d, doc in answers.items() if names_inquiry(doc, inquiry, thresholds)}
    shared = {groups[d] for d in naming if groups.get(d)}
    return naming | {d for d in answers if groups.get(d) in shared}


def names_inquiry(doc: ParsedDocument, inquiry: Inquiry, thresholds: DraftingSettings) -> bool:
    """Does ``doc`` say that it answers ``inquiry``: it names all the inquiry's authors, quotes its title
    (``same_inquiry_title_ratio``) or restates its questions (:func:`restates`)? Answers restate an
    inquiry in their own words, so its questions alone miss most of them; what an answer keeps
    verbatim is who asked and under which title. (Not the diarienummer: the first one an inquiry
    gives is as often the earlier answer a follow-up refers to.)

    Limits: two inquiries by the same authors are told apart only by title or wording; measured in
    ``eval/calibrate_same_inquiry.py``, with follow-ups from the same politicians among the pairs."""
    body = squash(doc.text)
    authors = [a for a in inquiry.authors if len(a.split()) >= 2]
    if authors and all(a in body for a in authors):
        return True
    title = squash(inquiry.title or "")
    if len(stems(title)) >= 3 and fuzz.partial_ratio(title.lower(), body.lower()) >= thresholds.same_inquiry_title_ratio:
        return True
    return restates(doc, inquiry, thresholds.same_inquiry_ratio)


def restates(doc: ParsedDocument, inquiry: Inquiry, same_inquiry_ratio: int) -> bool:
    """Does ``doc`` quote at least half of the inquiry's questions and att-satser? Then it answers the same inquiry."""
    points = [*inquiry.questions, *inquiry.att_satser]
    if not points:
        return False
    body = squash(doc.text).lower()
    quoted = sum(overlap(q, doc.text) >= 0.75 and fuzz.partial_ratio(squash(q).lower(), body) >= same_inquiry_ratio for q in points)
    return quoted >= max(1, len(points) // 2 + len(points) % 2)
