"""The comparison behind the officer's workbench: how each district answered each point, and a draft
composed from the paragraphs the officer picks.

Both rest on :meth:`PrecedentDrafter.gather`, the drafter's own retrieval and relevance decision, so the
comparison shows exactly what the drafter would draw on (the receiving district's own earlier answers
first), and a composed draft is written by the same paragraph writer and framed by the same
:func:`~assistant.draft.compose.assemble` (local facts flagged for confirmation, own earlier words
flagged to update) and, in the draft service, goes through the same verification.
"""

from __future__ import annotations

import re

from assistant.draft import positions
from assistant.draft.compose import assemble
from assistant.draft.paragraphs import Build
from assistant.draft.precedent_drafter import PrecedentDrafter
from assistant.draft.proposal import position_paragraph, proposed_position
from assistant.draft.quotable import Candidate, same_text
from assistant.draft.sections import answer_sections
from assistant.draft.skeleton import placeholder, point_heading, point_label
from assistant.text import squash
from assistant.models import (
    Comparison,
    ComparisonCell,
    ComparisonColumn,
    ComparisonRow,
    Draft,
    Inquiry,
    Paragraph,
    ParsedDocument,
    PrecedentPosition,
    ProposedPosition,
)

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


def _paragraph(doc: ParsedDocument, sec_start: int, sec_end: int, start: int, end: int, max_chars: int) -> tuple[int, int]:
    """The span of the paragraph of ``doc`` (within its section) that holds ``start:end``. A cell shows the
    paragraph that answers; one longer than ``max_chars`` (``DraftingSettings.paragraph_max_chars``) is cut to
    the sentences from the answering one on (OCR'd documents sometimes have no blank lines at all)."""
    text = doc.text
    a = sec_start
    for m in _BLANK_LINE.finditer(text, sec_start, start):
        a = m.end()
    m = _BLANK_LINE.search(text, end, sec_end)
    b = m.start() if m else sec_end
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b - a > max_chars:
        a = start
        b = min(b, max(end, start + max_chars))
        cut = max(text.rfind(". ", a, b), text.rfind(".\n", a, b))
        if cut > end:
            b = cut + 1
    return a, b


def _section_of(doc: ParsedDocument, pos: int) -> tuple[int, int, str]:
    for sec in answer_sections(doc):
        if sec.body_start <= pos < sec.end:
            return sec.body_start, sec.end, sec.canonical
    return 0, len(doc.text), ""


class Workbench:
    """Comparison and composition for one inquiry, over the drafter's own evidence."""

    def __init__(self, drafter: PrecedentDrafter) -> None:
        self.drafter = drafter

    # --- the comparison ------------------------------------------------------------------------
    def compare(self, inquiry: Inquiry, exclude_doc_ids: list[str]) -> tuple[Comparison, dict[str, list[Candidate]]]:
        """The comparison, and per cell key the drafter's candidate sentences inside that cell."""
        d = self.drafter
        found = d.gather(inquiry, exclude_doc_ids)
        label = point_label(inquiry)
        comparison = Comparison(district=inquiry.district, excluded_doc_ids=list(exclude_doc_ids))
        sentences_of: dict[str, list[Candidate]] = {}
        columns: dict[str, ComparisonColumn] = {}
        stance_cache: dict[str, dict[int, positions.StanceSentence]] = {}
        for number, (point, evidence) in enumerate(zip(found.points, found.evidence), start=1):
            row = ComparisonRow(number=number, label=f"{label} {number}", point=point)
            att = inquiry.att_satser.index(point) + 1 if point in inquiry.att_satser else None
            for scored in evidence.answering(d.thresholds):
                if any(c.citation.doc_id == scored.doc.doc_id for c in row.cells):
                    continue
                doc = scored.doc
                cands = [c for c in d._candidates(doc, scored.precedent, point, inquiry, own=scored.own) if c.lexical > 0]
                stance = None
                if att is not None and doc.doc_id in found.same_inquiry:
                    if doc.doc_id not in stance_cache:
                        secs = [(s, s.heading) for s in answer_sections(doc) if s.role != "child_analysis"]
                        stance_cache[doc.doc_id] = positions.precedent_positions(doc, inquiry.att_satser, secs, self.drafter.thresholds)
                    stance = stance_cache[doc.doc_id].get(att)
                if stance is not None:
                    anchor = (stance.start, stance.end)  # for an att-sats, the paragraph that takes a position answers it
                elif cands:
                    best = max(cands, key=lambda c: c.score)
                    anchor = (best.span.start, best.span.end)
                else:
                    continue
                sec_start, sec_end, section = _section_of(doc, anchor[0])
                start, end = _paragraph(doc, sec_start, sec_end, *anchor, self.drafter.thresholds.paragraph_max_chars)
                key = f"{number}:{doc.doc_id}:{start}:{end}"
                row.cells.append(
                    ComparisonCell(
                        key=key,
                        citation=doc.citation(0, start, end, section),
                        own=scored.own,
                        position=stance.position if stance is not None else None,
                    )
                )
                sentences_of[key] = [c for c in cands if start <= c.span.start < end]
                columns.setdefault(
                    doc.doc_id,
                    ComparisonColumn(
                        doc_id=doc.doc_id, district=doc.metadata.district, date=doc.metadata.date, title=doc.metadata.title, own=scored.own
                    ),
                )
            comparison.rows.append(row)
        comparison.columns = sorted(columns.values(), key=lambda c: (not c.own, -(int((c.date or "0")[:4]) if (c.date or "")[:4].isdigit() else 0)))
        order = {c.doc_id: i for i, c in enumerate(comparison.columns)}
        for row in comparison.rows:
            row.cells.sort(key=lambda c: order[c.citation.doc_id])
        self._found = found
        return comparison, sentences_of

    # --- the draft from the officer's picks ----------------------------------------------------
    def compose(self, inquiry: Inquiry, exclude_doc_ids: list[str], selected: list[str]) -> tuple[Draft, Comparison]:
        """A draft that answers each point from the picked cells only: every citation lies inside a
        picked paragraph. Local facts are flagged and own earlier words flagged to update, as in a
        full draft; a point with no pick keeps a placeholder."""
        d = self.drafter
        comparison, sentences_of = self.compare(inquiry, exclude_doc_ids)
        picked = set(selected)
        d.use_context(self._found)
        build = Build()
        target = inquiry.district
        answers: list[Paragraph] = []
        summary: list[Paragraph] = []
        proposed: list[ProposedPosition] = []
        used_texts: list[str] = []
        for row in comparison.rows:
            answers.append(Paragraph(text=point_heading(inquiry, row.number, row.point), role="question"))
            cells = [c for c in row.cells if c.key in picked]
            if row.point in inquiry.att_satser:
                pos = self._position(inquiry.att_satser.index(row.point) + 1, row.point, cells, build)
                proposed.append(pos)
                if pos.proposed is not None:
                    answers.append(position_paragraph(pos, build))
            chosen = []
            for cell in cells:
                for c in sentences_of.get(cell.key, []):
                    text = squash(c.span.text)
                    if not any(same_text(text, t) for t in used_texts):
                        used_texts.append(text)
                        chosen.append(c)
            if not chosen:
                if not any(p.role == "meta" for p in answers[-1:]):
                    answers.append(
                        placeholder(
                            "[FÖRVALTNINGENS SVAR] – inget stycke är valt i jämförelsen för denna punkt.",
                            f"Välj ett stycke i jämförelsen eller skriv svaret på {row.label.lower()}.",
                        )
                    )
                continue
            d.writer.answer(chosen, target, build, answers, summary)
        draft = assemble(inquiry, answers, summary, build, drafter="jämförelse", exclude_doc_ids=exclude_doc_ids, positions=proposed)
        return draft, comparison

    def _position(self, att: int, text: str, cells: list[ComparisonCell], build: Build) -> ProposedPosition:
        """The picked precedents' positions on an att-sats, each cited by its answering paragraph; the
        proposal is the district's own earlier position if picked, else the picked majority."""
        rows = []
        for cell in cells:
            if cell.position is None:
                continue
            c = cell.citation
            doc = self.drafter.assistant.store.get(c.doc_id)
            rows.append(
                (
                    cell.own,
                    PrecedentPosition(
                        doc_id=c.doc_id,
                        district=c.district,
                        date=c.date,
                        position=cell.position,
                        citation=build.cite(doc, c.start, c.end, c.section),
                    ),
                )
            )
        return proposed_position(att, text, rows)
