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
from assistant.models import Citation, Draft, Flag, Inquiry

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
    verified = verify(result, assistant.store, assistant.embeddings, allowed=worker.allowed)
    if not streamed:
        # A drafter that writes all at once (the default): stream the verified draft section by section.
        for chunk in re.split(r"(?=^## )", to_markdown(verified), flags=re.MULTILINE):
            if chunk:
                yield chunk
    yield verified


SECTION_SOURCES = 2
"""How many precedents a requested section (e.g. a Barnkonsekvensanalys) quotes."""


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
    for c in found[:SECTION_SOURCES]:
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
    return verify(draft, assistant.store, assistant.embeddings, allowed=allowed)


def revise(assistant, draft: Draft, markdown: str) -> Draft:
    """A free-form edit of ``draft`` (Markdown from the configured LLM) as a Draft again, framed by
    the fixed skeleton and verified like any draft: citations only to the draft's own sources, every
    factual sentence scored against its quotes. What reaches review is this verified draft."""
    from assistant.draft.llm_drafter import LLMDrafter

    revised = LLMDrafter(assistant).parse(markdown, draft.inquiry, list(draft.citations), list(draft.excluded_doc_ids))
    revised = revised.model_copy(update={"positions": draft.positions, "drafter": draft.drafter})
    revised.flags.insert(0, HEADER_FLAG)
    return verify(revised, assistant.store, assistant.embeddings, allowed=list(draft.citations))
