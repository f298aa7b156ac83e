"""The default drafter: answers each question with the sentences other districts answered it with.

No LLM: for every question (or att-sats) it retrieves precedents from other districts, picks the
sentences of their *answering* sections (not the restated inquiry) that answer it – embedding cosine
plus stemmed lexical overlap – and cites each exactly (``quote == doc.text[start:end]``). City-wide
sentences are adapted to the receiving district; local facts of the precedent's district are shown
as paragraphs flagged ``att_bekrafta``, never as the receiving district's own. When no sentence is
similar enough to any question, the draft says so (``no_precedent``) and offers the bare structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from assistant import registry
from assistant.draft import adapt, positions, vectors
from assistant.draft.gather import Gathered, Gatherer
from assistant.draft.law_check import LawChecker
from assistant.draft.localness import Classifier
from assistant.draft.paragraphs import Build, Writer, summary_lead
from assistant.draft.quotable import Candidate, adjacent_runs, leans_on_context, same_text, usable, with_antecedents
from assistant.draft.relevance import PointEvidence
from assistant.draft.sections import (
    COMMON_GROUND_ROLES,
    INQUIRY_KINDS,
    NOT_ANSWERING_ROLES,
    RESTATING_ROLES,
    answer_sections,
    standard_sections,
)
from assistant.draft.skeleton import (
    concerns_children,
    inquiry_summary,
    kind_noun,
    kind_word,
    placeholder,
    point_heading,
    point_label,
    review_flags,
    skeleton,
)
from assistant.settings import DraftingSettings
from assistant.text import overlap, sentences, squash, stems, unwrap
from assistant.models import (
    Draft,
    Flag,
    Inquiry,
    ParsedDocument,
    Paragraph,
    Precedent,
    PrecedentPosition,
    ProposedPosition,
)

# Tunables (sentence scores, bonuses, how many documents per point, fuzzy-match ratios) are the
# drafting settings, read as ``self.thresholds`` (``assistant.settings.DraftingSettings``).
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
    """Drafts from precedent sentences; ``assistant`` gives ``.retriever``, ``.store``, ``.embeddings``."""

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
        return self._no_precedent(inquiry, found.points, found.best_similarity, exclude_doc_ids)

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

    # --- composing --------------------------------------------------------------------------------
    def use_context(self, found: Gathered) -> None:
        """Every answer that answers some point: what a sentence is corroborated against when it is
        classified local or city-wide (set before composing, from a full draft or from picks)."""
        self.classifier.context = list({s.doc.doc_id: s.doc for ev in found.evidence for s in ev.ranked if s.answers(self.thresholds)}.values())

    def _compose(self, inquiry: Inquiry, found: Gathered, exclude_doc_ids: list[str]) -> Draft:
        points, per_point, precedents, docs = found.points, found.chosen, found.precedents, found.docs
        self.use_context(found)
        build = Build()
        proposed = self._positions(inquiry, found, build)
        stance_paras = {p.att_sats: self._position_paragraph(p, build) for p in proposed}
        # The stance sentences are quoted in the position paragraphs: not again as answers.
        stance_keys = {(c.doc_id, c.start) for p in proposed for pp in p.precedents if (c := build.citations[pp.citation - 1])}
        target = inquiry.district
        used_keys: set[tuple[str, int]] = set(stance_keys)
        used_texts: list[str] = []
        answer_paras: list[Paragraph] = []
        summary: list[Paragraph] = []
        flags: list[Flag] = []
        label = point_label(inquiry)
        for i, (point, chosen) in enumerate(zip(points, per_point), start=1):
            answer_paras.append(Paragraph(text=point_heading(inquiry, i, point), role="question"))
            if point in inquiry.att_satser and (inquiry.att_satser.index(point) + 1) in stance_paras:
                answer_paras.append(stance_paras[inquiry.att_satser.index(point) + 1])
            fresh = []
            for c in with_antecedents(chosen, self.thresholds.restatement_ratio):
                text = squash(c.span.text)
                if c.key in used_keys or any(same_text(text, t) for t in used_texts):
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
            paras = self.writer.paragraphs(fresh, target, build)
            answer_paras.extend(paras)
            if (lead := summary_lead(paras)) is not None:
                summary.append(lead)

        common = self._common_ground(inquiry, used_keys, target, build)
        sections = skeleton(
            inquiry,
            summary=[Paragraph(text=inquiry_summary(inquiry), role="inquiry"), *summary],
            background=common,
            preparation=self._preparation(inquiry, precedents, docs, build),
            answers=answer_paras,
            child_analysis=self.writer.child_analysis(docs, target, build, used_keys) if concerns_children(inquiry) else None,
        )
        flags = review_flags(sections)
        return Draft(
            district=target,
            inquiry=inquiry,
            sections=sections,
            citations=build.citations,
            flags=flags,
            nearest=list(precedents.values()),
            drafter=self.name,
            excluded_doc_ids=list(exclude_doc_ids),
            positions=proposed,
        )

    def _common_ground(self, inquiry: Inquiry, used_keys: set[tuple[str, int]], target: str | None, build: Build) -> list[Paragraph]:
        """What the other districts' answers state alike about the whole city: sentences that cite a
        law, name a city or national body, a city document (programme, policy, ramavtal) or give a
        city-wide figure that another district's answer cites too. First those another district states
        in its own words (the two share such an anchor and are paraphrases, :meth:`_same_facts`; the
        more districts, the earlier), then those that only share the anchor. City-wide sentences only,
        none that says what the answers, or a sentence chosen before, already say."""
        answering = [d for d in self.classifier.context if registry.current_district(d.metadata.district) != registry.current_district(target)]
        cands: list[tuple[Candidate, set[str]]] = []
        pool: list[tuple[str, str, set[str]]] = []  # (district, sentence, anchors): what the answers state, quotable or not
        for doc in answering:
            district = registry.current_district(doc.metadata.district) or doc.doc_id
            for sec, standard in standard_sections(doc):
                if sec.role not in COMMON_GROUND_ROLES:
                    continue
                for sp in sentences(doc.text, sec.body_start, sec.end):
                    text = squash(sp.text)
                    anchors = adapt.city_anchors(text)
                    if anchors or adapt.figure_anchors(text):
                        pool.append((district, text, anchors | adapt.figure_anchors(text)))
                    if not anchors or not usable(text, inquiry.text, self.thresholds.restatement_ratio) or leans_on_context(text) or adapt.OPINION.search(text):
                        continue
                    cands.append((Candidate(doc, sp, standard, 0.0, overlap(inquiry.text, text)), anchors | adapt.figure_anchors(text)))
        districts_of: dict[str, set[str]] = {}
        for d, _, anchors in pool:
            for a in anchors:
                districts_of.setdefault(a, set()).add(d)
        shared = {a for a, ds in districts_of.items() if len(ds) >= 2}
        same = self._same_facts([t for _, t, _ in pool])
        support: dict[tuple[str, int], set[str]] = {}
        for c, anchors in cands:
            mine = registry.current_district(c.doc.metadata.district) or c.doc.doc_id
            text = squash(c.span.text)
            support[c.key] = {d for d, t, theirs in pool if d != mine and anchors & theirs and same(text, t)}
        # Sentences already stated as the district's own (in the answers, or chosen here): a candidate
        # that states the same fact is left out. One only shown for confirmation does not count.
        stated = [(squash(c.span.text), anchors) for c, anchors in cands if c.key in used_keys and not self.classifier.classify(c).local]
        chosen: list[Candidate] = []
        ranked = sorted(cands, key=lambda ca: (-len(support[ca[0].key]), -len(ca[1] & shared), -ca[0].lexical))
        for c, anchors in ranked:
            if not (support[c.key] or anchors & shared) or c.key in used_keys or len(chosen) >= self.thresholds.max_common_ground or self.classifier.classify(c).local:
                continue
            text = squash(c.span.text)
            if any(anchors & theirs and same(text, t) for t, theirs in stated):
                continue
            chosen.append(c)
            stated.append((text, anchors))
            used_keys.add(c.key)
        by_doc: dict[str, list[Candidate]] = {}
        for c in chosen:
            by_doc.setdefault(c.doc.doc_id, []).append(c)
        return [self.writer.city_paragraph(sorted(g, key=lambda c: c.span.start), target, build) for g in by_doc.values()]

    def _same_facts(self, texts: list[str]):
        """A test "do these two sentences state the same fact?" over ``texts`` (embedded once, in one
        batch). Only asked of sentences that share a city anchor: naming the same city body or law is
        not enough (one answer names stadsledningskontoret about a park investment, another about
        budget instructions); their passage vectors must be paraphrase-close, ``same_fact_cosine``."""
        matrix = vectors.passages(self.assistant.embeddings, texts)
        row = {t: i for i, t in enumerate(texts)}
        limit = self.thresholds.same_fact_cosine

        def same(a: str, b: str) -> bool:
            if a not in row or b not in row:
                m = vectors.passages(self.assistant.embeddings, [a, b])
                return float(m[0] @ m[1]) >= limit
            return float(matrix[row[a]] @ matrix[row[b]]) >= limit

        return same

    def _positions(self, inquiry: Inquiry, found: Gathered, build: Build) -> list[ProposedPosition]:
        """Per att-sats, each precedent's stated position (with the sentence saying it, cited) and
        the position proposed: the district's own earlier position if it took one, otherwise the
        precedents' majority. The förvaltning decides, so the proposal is flagged either way."""
        if not inquiry.att_satser:
            return []
        docs: dict[str, tuple[ParsedDocument, bool]] = {}
        for ev in found.evidence:
            for s in ev.ranked:
                if s.answers(self.thresholds):
                    docs.setdefault(s.doc.doc_id, (s.doc, s.own))
        stated: dict[int, list[tuple[ParsedDocument, bool, positions.StanceSentence]]] = {}
        for doc, own in sorted(docs.values(), key=lambda d: (not d[1], d[0].metadata.date or "")):
            sections = [(sec, sec.heading) for sec in answer_sections(doc) if sec.role != "child_analysis"]
            for i, st in positions.precedent_positions(doc, inquiry.att_satser, sections, self.thresholds).items():
                stated.setdefault(i, []).append((doc, own, st))
        out: list[ProposedPosition] = []
        for i, text in enumerate(inquiry.att_satser, start=1):
            rows = stated.get(i, [])
            precs = [
                PrecedentPosition(
                    doc_id=doc.doc_id,
                    district=doc.metadata.district,
                    date=doc.metadata.date,
                    position=st.position,
                    citation=build.cite(doc, st.start, st.end, st.section),
                )
                for doc, _, st in rows
            ]
            own = [st.position for _, is_own, st in rows if is_own]
            proposal = own[0] if own else positions.majority([p.position for p in precs])
            out.append(ProposedPosition(att_sats=i, text=text, proposed=proposal, precedents=precs, basis="eget svar" if own else "majoritet"))
        return out

    def _position_paragraph(self, pos: ProposedPosition, build: Build) -> Paragraph:
        """"Förslag till ståndpunkt: …" with every precedent's position quoted and cited."""
        if pos.proposed is None:
            return placeholder(
                f"[STÅNDPUNKT] – inget prejudikat i arkivet tar ställning till att-sats {pos.att_sats}.",
                f"Förvaltningen tar ställning till att-sats {pos.att_sats}.",
            )
        quotes = []
        for p in pos.precedents:
            c = build.citations[p.citation - 1] if p.citation else None
            quote = f": ”{unwrap(c.quote)}”" if c else ""
            quotes.append(f"{p.district or 'okänd stadsdel'} ({p.date or 'odaterat'}) {p.position}{quote} [{p.citation}]")
        counts = ", ".join(f"{sum(p.position == label for p in pos.precedents)} {label}" for label in ("delar", "delar delvis", "delar inte") if any(p.position == label for p in pos.precedents))
        text = f"Förslag till ståndpunkt: förvaltningen {pos.proposed} förslaget i att-sats {pos.att_sats}. Prejudikatens ståndpunkter ({counts}): " + "; ".join(quotes) + "."
        flag = Flag(
            kind="position",
            message=f"Ståndpunkten på att-sats {pos.att_sats} är förvaltningens beslut; förslaget följer "
            + ("förvaltningens eget tidigare svar." if pos.basis == "eget svar" else "prejudikatens majoritet (vid lika: den försiktigare).")
            + " Formulera skälen för stadsdelen.",
        )
        return Paragraph(text=text, role="meta", citations=[p.citation for p in pos.precedents if p.citation], flags=[flag])

    def _no_precedent(
        self, inquiry: Inquiry, points: list[str], best: float, exclude_doc_ids: list[str]
    ) -> Draft:
        """The honest answer when nothing in the archive answers the inquiry: a plain statement and the
        bare structure with placeholders; no invented content, no unrelated quotes and no list of
        unrelated documents (the closest ones answer something else)."""
        flag = Flag(
            kind="no_precedent",
            message=f"Starkaste belägg för något svar i arkivet är {best:.2f} (gräns {self.thresholds.archive_evidence_min:.2f}, "
            f"{self.thresholds.whole_archive_evidence_min:.2f} i ett arkiv mindre än en sökning): inget dokument i arkivet besvarar ärendet.",
        )
        notice = Paragraph(
            text=(
                f"Inget prejudikat hittades: arkivet innehåller inget tjänsteutlåtande som besvarar {kind_word(inquiry)} "
                "eller de frågor den ställer. Nedan finns utlåtandets struktur att fylla i."
            ),
            role="meta",
        )
        answers: list[Paragraph] = []
        label = point_label(inquiry)
        for i, point in enumerate(points, 1):
            answers.append(Paragraph(text=point_heading(inquiry, i, point), role="question"))
            answers.append(placeholder("[FÖRVALTNINGENS SVAR]", f"Förvaltningen skriver svaret på {label.lower()} {i}."))
        sections = skeleton(inquiry, summary=[notice, Paragraph(text=inquiry_summary(inquiry), role="inquiry")], answers=answers)
        return Draft(
            district=inquiry.district,
            inquiry=inquiry,
            sections=sections,
            citations=[],
            no_precedent=True,
            flags=[flag],
            drafter=self.name,
            excluded_doc_ids=list(exclude_doc_ids),
        )

    def _preparation(self, inquiry: Inquiry, precedents: dict[str, Precedent], docs: dict[str, ParsedDocument], build: Build) -> list[Paragraph]:
        paras = [placeholder("Ärendet har beretts inom [AVDELNING].", "Ange avdelningen som berett ärendet och eventuell samverkan/MBL.")]
        # Same inquiry: the precedent restates its questions, or the retriever groups it with one that does.
        restating = {d for d, doc in docs.items() if _restates(doc, inquiry, self.thresholds.same_inquiry_ratio)}
        groups = {precedents[d].inquiry_group for d in restating if d in precedents and precedents[d].inquiry_group}
        same = [
            doc
            for d, doc in docs.items()
            if doc.metadata.kind not in INQUIRY_KINDS and (d in restating or (d in precedents and precedents[d].inquiry_group in groups))
        ]
        if not same:
            return paras
        refs = []
        cites = []
        for doc in sorted(same, key=lambda d: d.metadata.date or ""):
            start, end, section = _decision_span(doc)
            cid = build.cite(doc, start, end, section)
            cites.append(cid)
            refs.append(f"{doc.metadata.district or 'okänd stadsdel'} ({doc.metadata.date or 'odaterat'}) [{cid}]")
        text = f"Samma {kind_noun(inquiry)} har även besvarats av andra stadsdelsnämnder: {', '.join(refs)}. Förvaltningens svar bygger på deras svar i de delar som gäller hela staden."
        return [*paras, Paragraph(text=text, role="meta", citations=cites)]

def _decision_span(doc: ParsedDocument) -> tuple[int, int, str]:
    """The decision sentence of a precedent (what shows it answered the inquiry), else its title."""
    for s in doc.sections:
        if s.role == "decision":
            spans = [sp for sp in sentences(doc.text, s.body_start, s.end) if len(stems(sp.text)) >= 4]
            decision = next((sp for sp in spans if re.search(r"nämnd|beslut|godkänn", sp.text, re.IGNORECASE)), None)
            if decision is not None:
                return decision.start, decision.end, s.canonical
    first = sentences(doc.text)[0]
    return first.start, first.end, "Rubrik"


def _restates(doc: ParsedDocument, inquiry: Inquiry, same_inquiry_ratio: int) -> bool:
    points = [*inquiry.questions, *inquiry.att_satser]
    if not points:
        return False
    body = squash(doc.text).lower()
    quoted = sum(overlap(q, doc.text) >= 0.75 and fuzz.partial_ratio(squash(q).lower(), body) >= same_inquiry_ratio for q in points)
    return quoted >= max(1, len(points) // 2 + len(points) % 2)
