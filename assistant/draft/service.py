"""Drafting as one call: analyse the inquiry, run the chosen drafter, verify, stream.

A drafter yields text fragments while it works (the LLM drafter: tokens) and an unverified
:class:`Draft` last; this module verifies that draft the same way for both (citations, support) and
yields the verified draft as the final item, which is what :meth:`Assistant.stream_draft` promises.
A drafter that writes all at once (the default) is streamed as the verified draft's Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import re

from assistant.draft.inquiry import analyse_inquiry
from assistant.draft.render import to_markdown
from assistant.draft.verify import verify
from assistant.errors import ConfigurationError
from assistant.models import Citation, Comparison, Draft, Flag, Inquiry

DRAFTERS = ("precedent", "llm")
HEADER_FLAG = Flag(
    kind="placeholder",
    message="Fyll i handläggare, telefon, datum och diarienummer i sidhuvudet ([HANDLÄGGARE], [TELEFON], [DATUM], [DIARIENUMMER]).",
)


class Drafter(Protocol):
    """What a drafter is: given the analysed inquiry, it yields text fragments as it writes and its
    unverified :class:`Draft` last (built on :func:`assistant.draft.skeleton.skeleton`). This module
    verifies every drafter's draft the same way. ``allowed``, after streaming, lists the passages the
    drafter was given (citations outside them are invalid); ``None`` means the draft's own citations."""

    name: str
    allowed: list[Citation] | None

    def stream(self, inquiry: Inquiry, exclude_doc_ids: list[str]) -> Iterator[str | Draft]: ...


def make_drafter(assistant, name: str) -> Drafter:
    if name == "precedent":
        from assistant.draft.precedent_drafter import PrecedentDrafter

        return PrecedentDrafter(assistant)
    if name == "llm":
        from assistant.draft.llm_drafter import LLMDrafter

        return LLMDrafter(assistant)
    raise ConfigurationError(f"Unknown drafter {name!r}: choose one of {', '.join(DRAFTERS)}.")


def stream_draft(
    assistant,
    inquiry_text: str,
    district: str | None = None,
    drafter: str = "precedent",
    exclude_doc_ids: Iterable[str] = (),
) -> Iterator[str | Draft]:
    """Yield Markdown/text fragments as the draft is written, then the verified :class:`Draft`."""
    if not inquiry_text or not inquiry_text.strip():
        raise ValueError("The inquiry text is empty: nothing to draft an answer to.")
    inquiry = analyse_inquiry(inquiry_text, district)
    worker = make_drafter(assistant, drafter)
    excluded = list(dict.fromkeys(exclude_doc_ids))
    result: Draft | None = None
    streamed = False
    for item in worker.stream(inquiry, excluded):
        if isinstance(item, Draft):
            result = item
        else:
            streamed = True
            yield item
    if result is None:  # pragma: no cover - a drafter always ends with its draft
        raise RuntimeError(f"The {drafter} drafter produced no draft.")
    result.flags.insert(0, HEADER_FLAG)
    verified = verify(result, assistant.store, assistant.embeddings, allowed=worker.allowed, thresholds=assistant.settings.drafting)
    if not streamed:
        # A drafter that writes all at once (the default): stream the verified draft section by section.
        for chunk in re.split(r"(?=^## )", to_markdown(verified), flags=re.MULTILINE):
            if chunk:
                yield chunk
    yield verified


def add_section(assistant, draft: Draft, found: list[Citation], district: str | None) -> Draft:
    """``draft`` with a section quoted from how precedent wrote it (``found``: sections of that name,
    closest first), verified like any draft: another district's analysis is shown as its words,
    flagged ``att_bekrafta``, never as the receiving district's own."""
    from assistant.draft.skeleton import TRAILING_SECTIONS
    from assistant.models import DraftSection, Paragraph

    draft = draft.model_copy(deep=True)
    allowed = list(draft.citations)
    next_id = max((c.id for c in draft.citations), default=0) + 1
    paragraphs = []
    for c in found[: assistant.settings.drafting.section_sources]:
        c = c.model_copy(update={"id": next_id})
        draft.citations.append(c)
        allowed.append(c)
        who = c.district or "en annan stadsdel"
        paragraphs.append(
            Paragraph(
                text=f"{who} skriver i sitt svar ({c.date or 'odaterat'}): ”{' '.join(c.quote.split())}” [{next_id}]",
                role="local",
                citations=[next_id],
                flags=[
                    Flag(
                        kind="att_bekrafta",
                        message=f"Hämtat ur {who}s svar; skriv om för {district or 'mottagande stadsdel'} och bekräfta.",
                        source_doc_id=c.doc_id,
                    )
                ],
            )
        )
        next_id += 1
    at = next((i for i, sec in enumerate(draft.sections) if sec.heading in TRAILING_SECTIONS), len(draft.sections))
    draft.sections.insert(at, DraftSection(heading=found[0].section, paragraphs=paragraphs))
    return verify(draft, assistant.store, assistant.embeddings, allowed=allowed, thresholds=assistant.settings.drafting)


def revise(assistant, draft: Draft, markdown: str) -> Draft:
    """A free-form edit of ``draft`` (Markdown from the configured LLM) as a Draft again, framed by
    the fixed skeleton and verified like any draft: citations only to the draft's own sources, every
    factual sentence scored against its quotes. What reaches review is this verified draft."""
    from assistant.draft.llm_drafter import LLMDrafter

    revised = LLMDrafter(assistant).parse(markdown, draft.inquiry, list(draft.citations), list(draft.excluded_doc_ids))
    revised = revised.model_copy(update={"positions": draft.positions, "drafter": draft.drafter})
    revised.flags.insert(0, HEADER_FLAG)
    return verify(revised, assistant.store, assistant.embeddings, allowed=list(draft.citations), thresholds=assistant.settings.drafting)


def compare(assistant, inquiry_text: str, district: str | None = None, exclude_doc_ids: Iterable[str] = ()) -> Comparison:
    """How the districts answered each point of the inquiry (own earlier answers first)."""
    from assistant.draft.compare import Workbench
    from assistant.draft.precedent_drafter import PrecedentDrafter

    inquiry = analyse_inquiry(inquiry_text, district)
    comparison, _ = Workbench(PrecedentDrafter(assistant)).compare(inquiry, list(dict.fromkeys(exclude_doc_ids)))
    return comparison


def compose(
    assistant, inquiry_text: str, selected: Iterable[str], district: str | None = None, exclude_doc_ids: Iterable[str] = ()
) -> Draft:
    """A draft composed from the comparison cells ``selected`` (their keys), verified like any draft:
    every citation must lie in a picked paragraph."""
    from assistant.draft.compare import Workbench
    from assistant.draft.precedent_drafter import PrecedentDrafter

    inquiry = analyse_inquiry(inquiry_text, district)
    draft, comparison = Workbench(PrecedentDrafter(assistant)).compose(inquiry, list(dict.fromkeys(exclude_doc_ids)), list(selected))
    draft.flags.insert(0, HEADER_FLAG)
    return verify(draft, assistant.store, assistant.embeddings, allowed=list(draft.citations), thresholds=assistant.settings.drafting)


def remove_citation(assistant, draft: Draft, number: int) -> Draft:
    """``draft`` without source ``number``: the sentences that rest on it go, the other sources of
    the same document stay, the remaining sources are renumbered, and the result is verified."""
    from assistant.draft.skeleton import review_flags
    from assistant.text import sentences

    if draft.citation(number) is None:
        raise ValueError(f"Utkastet har ingen källa {number}.")
    draft = draft.model_copy(deep=True)
    marker = re.compile(rf"\[{number}\]")
    for section in draft.sections:
        kept = []
        for p in section.paragraphs:
            if number not in p.citations:
                kept.append(p)
                continue
            rest = [c for c in p.citations if c != number]
            if not rest:
                continue  # the paragraph rests on that source alone
            text = " ".join(s.text for s in sentences(p.text) if not marker.search(s.text)).strip()
            if text:
                kept.append(p.model_copy(update={"text": text, "citations": rest}))
        section.paragraphs = kept
    renumber = {c.id: i for i, c in enumerate((c for c in draft.citations if c.id != number), start=1)}
    draft.citations = [c.model_copy(update={"id": renumber[c.id]}) for c in draft.citations if c.id != number]
    old_marker = re.compile(r"\[(\d+)\]")
    for section in draft.sections:
        for i, p in enumerate(section.paragraphs):
            text = old_marker.sub(lambda m: f"[{renumber[int(m.group(1))]}]" if int(m.group(1)) in renumber else m.group(0), p.text)
            section.paragraphs[i] = p.model_copy(update={"text": text, "citations": [renumber[c] for c in p.citations if c in renumber]})
    for pos in draft.positions:
        pos.precedents = [pp.model_copy(update={"citation": renumber.get(pp.citation)}) for pp in pos.precedents if pp.citation != number]
    header = [f for f in draft.flags if f.kind == "placeholder"][:1]
    draft.flags = header + [f for f in review_flags(draft.sections) if f not in header]
    return verify(draft, assistant.store, assistant.embeddings, allowed=list(draft.citations), thresholds=assistant.settings.drafting)
