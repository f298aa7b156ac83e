"""The default drafter: answers each question with the sentences other districts answered it with.

No LLM: for every question (or att-sats) it retrieves precedents from other districts, picks the
sentences of their *answering* sections (not the restated inquiry) that answer it – embedding cosine
plus stemmed lexical overlap – and cites each exactly (``quote == doc.text[start:end]``). City-wide
sentences are adapted to the receiving district; local facts of the precedent's district are shown
as paragraphs flagged ``att_bekrafta``, never as the receiving district's own. When no sentence is
similar enough to any question, the draft says so (``no_precedent``) and offers the bare structure.

This module is the orchestrator: :class:`PrecedentDrafter` gathers (:mod:`assistant.draft.gather`)
and composes, point by point, from the parts that do the work – which sentences may be quoted
(:mod:`~assistant.draft.quotable`), local or city-wide (:mod:`~assistant.draft.localness`), law
references (:mod:`~assistant.draft.law_check`), paragraphs (:mod:`~assistant.draft.paragraphs`),
the common ground (:mod:`~assistant.draft.common_ground`), proposed positions
(:mod:`~assistant.draft.proposal`) and the draft's frame (:mod:`~assistant.draft.compose`). The
names other modules import from here are re-exported.
"""

from __future__ import annotations

from collections.abc import Iterator

from assistant.draft import adapt
from assistant.draft.common_ground import already_says, common_ground, same_facts
from assistant.draft.compose import assemble, no_precedent_draft, preparation
from assistant.draft.gather import Gathered, Gatherer
from assistant.draft.law_check import LawChecker
from assistant.draft.localness import Classifier
from assistant.draft.paragraphs import Build, Writer, summary_lead
from assistant.draft.proposal import position_paragraph, propose_positions
from assistant.draft.quotable import Candidate, adjacent_runs, same_text, with_antecedents
from assistant.draft.relevance import PointEvidence
from assistant.draft.sections import (
    COMMON_GROUND_ROLES,
    INQUIRY_KINDS,
    NOT_ANSWERING_ROLES,
    RESTATING_ROLES,
    answer_sections,
    standard_sections,
)
from assistant.draft.skeleton import concerns_children, placeholder, point_heading, point_label
from assistant.models import Draft, Flag, Inquiry, Paragraph, ParsedDocument, Precedent
from assistant.settings import DraftingSettings
from assistant.text import squash

__all__ = [
    "COMMON_GROUND_ROLES",
    "INQUIRY_KINDS",
    "NOT_ANSWERING_ROLES",
    "RESTATING_ROLES",
    "Candidate",
    "Gathered",
    "PrecedentDrafter",
    "adjacent_runs",
    "answer_sections",
    "standard_sections",
    "summary_lead",
]


class PrecedentDrafter:
    """Drafts from precedent sentences; ``assistant`` gives ``.retriever``, ``.store``, ``.embeddings``.

    Tunables (sentence scores, bonuses, how many documents per point, fuzzy-match ratios) are the
    drafting settings, read as ``self.thresholds`` (``assistant.settings.DraftingSettings``). The
    parts keep their caches for the drafter's lifetime (per document and per sentence)."""

    name = "precedent"
    allowed = None
    """Every citation of this drafter is built from the stored text itself (the service verifies them)."""

    def __init__(self, assistant) -> None:
        self.assistant = assistant
        self.thresholds: DraftingSettings = assistant.settings.drafting
        self.gatherer = Gatherer(assistant, self.thresholds)
        self.classifier = Classifier(assistant, self.thresholds)
        self.laws = LawChecker(assistant, self.thresholds)
        self.writer = Writer(self.classifier, self.laws)

    # --- public -------------------------------------------------------------------------------
    def stream(self, inquiry: Inquiry, exclude_doc_ids: list[str]) -> Iterator[str | Draft]:
        """The drafter protocol: text fragments, then the (unverified) Draft. This drafter writes
        everything at once, so it yields only the draft (the service streams it once verified)."""
        yield self.draft(inquiry, exclude_doc_ids)

    def draft(self, inquiry: Inquiry, exclude_doc_ids: list[str]) -> Draft:
        found = self.gather(inquiry, exclude_doc_ids)
        if not found.has_precedent:
            return self.no_precedent(inquiry, found, exclude_doc_ids)
        return self._compose(inquiry, found, exclude_doc_ids)

    def gather(self, inquiry: Inquiry, exclude_doc_ids: list[str]) -> Gathered:
        """Retrieve precedents for every point and choose the sentences that answer it (:meth:`Gatherer.gather`)."""
        return self.gatherer.gather(inquiry, exclude_doc_ids)

    def score_point(self, point: str, inquiry: Inquiry, exclude_doc_ids: list[str]) -> PointEvidence:
        """How well each retrieved answer answers ``point`` (:meth:`Gatherer.score_point`)."""
        return self.gatherer.score_point(point, inquiry, exclude_doc_ids)

    def referenced_own(self, inquiry: Inquiry, exclude_doc_ids: list[str]) -> set[str]:
        """The district's own earlier answers the inquiry refers to (:meth:`Gatherer.referenced_own`)."""
        return self.gatherer.referenced_own(inquiry, exclude_doc_ids)

    def no_precedent(self, inquiry: Inquiry, found: Gathered, exclude_doc_ids: list[str]) -> Draft:
        lead = max((ev.lead(self.thresholds) for ev in found.evidence), default=0.0)
        return no_precedent_draft(inquiry, found.points, (found.best_similarity, lead), exclude_doc_ids, self.thresholds, self.name)

    def use_context(self, found: Gathered) -> None:
        """Every answer that answers some point: what a sentence is corroborated against when it is
        classified local or city-wide (set before composing, from a full draft or from picks)."""
        self.classifier.context = list({s.doc.doc_id: s.doc for ev in found.evidence for s in ev.answering(self.thresholds)}.values())
        self.classifier.subject = adapt.subject_forms(found.inquiry.text) if found.inquiry is not None else frozenset()

    # --- the parts, by their former names (the workbench, tests and calibration scripts call them) --
    @staticmethod
    def _points(inquiry: Inquiry) -> list[str]:
        return Gatherer.points(inquiry)

    def _candidates(self, doc: ParsedDocument, precedent: Precedent, point: str, inquiry: Inquiry, own: bool = False) -> list[Candidate]:
        return self.gatherer.candidates(doc, precedent, point, inquiry, own=own)

    def _classify(self, c: Candidate) -> adapt.Classification:
        return self.classifier.classify(c)

    def _suspect_law(self, text: str, doc: ParsedDocument) -> Flag | None:
        return self.laws.suspect(text, doc)

    def _common_ground(
        self,
        inquiry: Inquiry,
        used_keys: set[tuple[str, int]],
        target: str | None,
        build: Build,
        not_own: frozenset[tuple[str, int]] = frozenset(),
        same_inquiry: frozenset[str] = frozenset(),
    ) -> list[Paragraph]:
        return common_ground(inquiry, used_keys, target, build, self.writer, self.thresholds, not_own, same_inquiry)

    def restates_city_fact(self, c: Candidate, text: str, stated: list[tuple[str, set[str]]], same) -> bool:
        """Does ``c``, a city-wide sentence of another district, state a fact a sentence already
        stated says (:func:`~assistant.draft.common_ground.already_says`: a shared city anchor, the
        same-fact test, no figure the first lacks)? Two districts' paraphrases of the same law are one
        statement in the draft. Otherwise it is recorded in ``stated`` when city-wide."""
        anchors = adapt.city_anchors(text) | adapt.figure_anchors(text)
        if not anchors or self.classifier.classify(c).local:
            return False
        if any(already_says(text, anchors, t, theirs, same) for t, theirs in stated):
            return True
        stated.append((text, anchors))
        return False

    # --- composing --------------------------------------------------------------------------------
    def _compose(self, inquiry: Inquiry, found: Gathered, exclude_doc_ids: list[str]) -> Draft:
        points, per_point, precedents, docs = found.points, found.chosen, found.precedents, found.docs
        self.use_context(found)
        build = Build()
        proposed = propose_positions(inquiry, found, build, self.thresholds)
        stance_paras = {p.att_sats: position_paragraph(p, build) for p in proposed}
        # The stance sentences are quoted in the position paragraphs: not again as answers.
        stance_keys = {(c.doc_id, c.start) for p in proposed for pp in p.precedents if (c := build.citations[pp.citation - 1])}
        target = inquiry.district
        used_keys: set[tuple[str, int]] = set(stance_keys)
        used_texts: list[str] = []
        answer_paras: list[Paragraph] = []
        summary: list[Paragraph] = []
        label = point_label(inquiry)
        # City-wide sentences already stated: another district's paraphrase of one is not stated again.
        stated_city: list[tuple[str, set[str]]] = []
        same = same_facts(self.thresholds.same_fact_overlap)
        for i, (point, chosen) in enumerate(zip(points, per_point), start=1):
            answer_paras.append(Paragraph(text=point_heading(inquiry, i, point), role="question"))
            if point in inquiry.att_satser and (inquiry.att_satser.index(point) + 1) in stance_paras:
                answer_paras.append(stance_paras[inquiry.att_satser.index(point) + 1])
            fresh = []
            for c in with_antecedents(chosen, self.thresholds.restatement_ratio):
                text = squash(c.span.text)
                if c.key in used_keys or any(same_text(text, t) for t in used_texts):
                    continue
                if not c.own and self.restates_city_fact(c, text, stated_city, same):
                    continue
                used_keys.add(c.key)
                used_texts.append(text)
                fresh.append(c)
            if not fresh:
                if chosen:
                    answer_paras.append(Paragraph(text="Frågan besvaras av det som anförs ovan.", role="meta"))
                else:
                    answer_paras.append(
                        placeholder(
                            "[FÖRVALTNINGENS SVAR] – arkivet innehåller inget svar från någon annan stadsdelsnämnd på denna fråga.",
                            f"Inget prejudikat hittades för {label.lower()} {i}: förvaltningen skriver svaret.",
                        )
                    )
                continue
            self.writer.answer(fresh, target, build, answer_paras, summary)

        # The precedents' stances are quoted for the förvaltning's decision, not stated as its own.
        common = self._common_ground(inquiry, used_keys, target, build, not_own=frozenset(stance_keys), same_inquiry=frozenset(found.same_inquiry))
        return assemble(
            inquiry,
            answer_paras,
            summary,
            build,
            drafter=self.name,
            exclude_doc_ids=exclude_doc_ids,
            positions=proposed,
            nearest=precedents.values(),
            background=common,
            preparation=preparation(inquiry, found, build),
            child_analysis=self.writer.child_analysis(docs, target, build, used_keys) if concerns_children(inquiry) else None,
        )
