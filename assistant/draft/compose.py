"""Composing a draft around its answers: the sections the answers sit in, and the Draft itself.

:func:`assemble` frames a drafter's answer paragraphs and Sammanfattning leads in the city's
tjänsteutlåtande (:func:`~assistant.draft.skeleton.skeleton`) and lists the review flags; the full
draft and the workbench's composed draft both end here, so they are framed alike.
:func:`preparation` writes Ärendets beredning (which other districts answered the same inquiry);
:func:`no_precedent_draft` is the honest draft when nothing in the archive answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from assistant.draft import districts
from assistant.draft.gather import Gathered
from assistant.draft.paragraphs import Build
from assistant.draft.skeleton import inquiry_summary, kind_noun, kind_word, placeholder, point_heading, point_label, review_flags, skeleton
from assistant.models import Draft, Flag, Inquiry, Paragraph, ParsedDocument, Precedent, ProposedPosition
from assistant.settings import DraftingSettings
from assistant.text import sentences, stems


def assemble(
    inquiry: Inquiry,
    answers: list[Paragraph],
    summary: list[Paragraph],
    build: Build,
    *,
    drafter: str,
    exclude_doc_ids: list[str],
    positions: list[ProposedPosition],
    nearest: Iterable[Precedent] = (),
    background: Sequence[Paragraph] = (),
    preparation: Sequence[Paragraph] | None = None,
    child_analysis: Sequence[Paragraph] | None = None,
) -> Draft:
    """The draft of ``inquiry``: the Sammanfattning (the inquiry, then ``summary``), ``answers`` and
    the other sections given, in the city's order, with every citation of ``build``."""
    sections = skeleton(
        inquiry,
        summary=[Paragraph(text=inquiry_summary(inquiry), role="inquiry"), *summary],
        background=background,
        preparation=preparation,
        answers=answers,
        child_analysis=child_analysis,
    )
    return Draft(
        district=inquiry.district,
        inquiry=inquiry,
        sections=sections,
        citations=build.citations,
        flags=review_flags(sections),
        nearest=list(nearest),
        drafter=drafter,
        excluded_doc_ids=list(exclude_doc_ids),
        positions=positions,
    )


def preparation(inquiry: Inquiry, found: Gathered, build: Build) -> list[Paragraph]:
    """Ärendets beredning: a placeholder for the preparing department and, when other districts
    answered the same inquiry (:attr:`Gathered.same_inquiry`), which ones (each cited by its decision
    sentence)."""
    paras = [placeholder("Ärendet har beretts inom [AVDELNING].", "Ange avdelningen som berett ärendet och eventuell samverkan/MBL.")]
    docs = {d: s.doc for d, s in found.retrieved.items()}
    # Other districts: the receiving district (or its former one) has not answered this inquiry yet.
    same = [docs[d] for d in found.same_inquiry if d in docs and not districts.same(docs[d].metadata.district, inquiry.district)]
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


def no_precedent_draft(
    inquiry: Inquiry, points: list[str], best: tuple[float, float], exclude_doc_ids: list[str], thresholds: DraftingSettings, drafter: str
) -> Draft:
    """The honest answer when nothing in the archive answers the inquiry: a plain statement and the
    bare structure with placeholders; no invented content, no unrelated quotes and no list of
    unrelated documents (the closest ones answer something else). ``best``: the strongest evidence and
    the largest lead over the background of any point, shown in the flag."""
    flag = Flag(
        kind="no_precedent",
        message=f"Starkaste belägg för något svar i arkivet är {best[0]:.2f}, och det bästa dokumentet står {best[1]:.2f} över "
        f"bakgrunden av övriga träffar (gräns {thresholds.archive_evidence_min:.2f} för {thresholds.archive_criterion}; "
        f"{thresholds.whole_archive_criterion} {thresholds.whole_archive_evidence_min:.2f} i ett arkiv mindre än en sökning): "
        "inget dokument i arkivet besvarar ärendet.",
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
        drafter=drafter,
        excluded_doc_ids=list(exclude_doc_ids),
    )


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
