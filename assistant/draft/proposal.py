"""The proposed position on each att-sats, and the paragraph that proposes it.

:mod:`assistant.draft.positions` reads a precedent's stance on a proposal; this module turns the
stances of a draft's precedents into a proposal: the receiving district's own earlier position if it
took one, otherwise the precedents' majority, every stance cited. Shared by the full draft (every
answering precedent) and the workbench (the picked ones only) through :func:`proposed_position`.
"""

from __future__ import annotations

from assistant.draft import positions
from assistant.draft.gather import Gathered
from assistant.draft.paragraphs import Build
from assistant.draft.sections import answer_sections
from assistant.draft.skeleton import placeholder
from assistant.models import Flag, Inquiry, Paragraph, ParsedDocument, PrecedentPosition, ProposedPosition
from assistant.settings import DraftingSettings
from assistant.text import unwrap


def propose_positions(inquiry: Inquiry, found: Gathered, build: Build, thresholds: DraftingSettings) -> list[ProposedPosition]:
    """Per att-sats, each precedent's stated position (with the sentence saying it, cited) and
    the position proposed: the district's own earlier position if it took one, otherwise the
    precedents' majority. The förvaltning decides, so the proposal is flagged either way."""
    if not inquiry.att_satser:
        return []
    docs: dict[str, tuple[ParsedDocument, bool]] = {}
    for ev in found.evidence:
        for s in ev.answering(thresholds):
            if s.doc.doc_id in found.same_inquiry:  # a stance on another motion is no stance on this one
                docs.setdefault(s.doc.doc_id, (s.doc, s.own))
    stated: dict[int, list[tuple[ParsedDocument, bool, positions.StanceSentence]]] = {}
    for doc, own in sorted(docs.values(), key=lambda d: (not d[1], d[0].metadata.date or "")):
        sections = [(sec, sec.heading) for sec in answer_sections(doc) if sec.role != "child_analysis"]
        for i, st in positions.precedent_positions(doc, inquiry.att_satser, sections, thresholds).items():
            stated.setdefault(i, []).append((doc, own, st))
    out: list[ProposedPosition] = []
    for i, text in enumerate(inquiry.att_satser, start=1):
        rows = [
            (
                own,
                PrecedentPosition(
                    doc_id=doc.doc_id,
                    district=doc.metadata.district,
                    date=doc.metadata.date,
                    position=st.position,
                    citation=build.cite(doc, st.start, st.end, st.section),
                ),
            )
            for doc, own, st in stated.get(i, [])
        ]
        out.append(proposed_position(i, text, rows))
    return out


def proposed_position(att: int, text: str, rows: list[tuple[bool, PrecedentPosition]]) -> ProposedPosition:
    """The proposal on att-sats ``att`` from its precedents' stances (``rows``: whether the precedent is
    the district's own earlier answer, and its cited stance): the first own stance, else the majority."""
    own = [p.position for is_own, p in rows if is_own]
    precs = [p for _, p in rows]
    proposal = own[0] if own else positions.majority([p.position for p in precs])
    return ProposedPosition(att_sats=att, text=text, proposed=proposal, precedents=precs, basis="eget svar" if own else "majoritet")


def position_paragraph(pos: ProposedPosition, build: Build) -> Paragraph:
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
