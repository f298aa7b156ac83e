"""Chat turns that change the draft's text: a section quoted from how precedent wrote it, and a free
edit through the configured language model. Both go through the draft service and ``verify``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from assistant.models import Citation, SearchFilters
from assistant.ui.chat import ANSWER_KINDS, HELP, NO_LLM, ChatState, draft_chat_markdown
from assistant.ui.html import link_citations, md_escape, source_key


def write_section(assistant, state: ChatState, what: str, message: str | None = None) -> Iterator[ChatState]:
    """Add a section (e.g. Barnkonsekvensanalys) built from how precedent wrote that section.

    Documents that have a section of that name are found by heading (the parser's canonical
    headings), ranked by how close they are to the inquiry. The section is quotes with their source
    and district, flagged att_bekrafta: another district's analysis is never presented as the
    receiving district's own, and nothing is written when no precedent has such a section.
    """
    if state.draft is None:
        state.say("assistant", "Det finns inget utkast ännu att lägga till ett avsnitt i.")
        yield state
        return
    found = section_precedents(assistant, state, what)
    if not found and assistant.settings.llm_provider != "none":
        # Not a section any precedent has: with an LLM, treat the request as a free-form edit.
        yield from free_edit(assistant, state, message or f"Skriv {what}")
        return
    if not found:
        state.say(
            "assistant",
            f"Jag hittar inget avsnitt ”{md_escape(what)}” i tidigare svar att bygga på, så jag skriver inget "
            "(jag hittar inte på innehåll). Skriv avsnittet själv eller ladda upp ett svar som har det.",
        )
        yield state
        return
    # Built and verified by the draft service, like every other draft content.
    from assistant.services.drafting import add_section

    draft = add_section(assistant, state.draft, found, state.district)
    state.draft = draft
    state.edited_markdown = None
    turn = state.turn
    for c in draft.citations:
        state.sources[source_key(turn, c.id)] = c
    state.draft_turn = turn
    state.say("assistant", draft_chat_markdown(draft, turn))
    yield state


SECTION_QUOTE_CHARS = 900
"""A section is quoted up to the last paragraph or sentence end within this many characters."""


def section_precedents(assistant, state: ChatState, what: str) -> list[Citation]:
    """Citations of sections headed like ``what`` in answer documents, closest to the inquiry first."""
    from assistant.services.drafting import analyse_inquiry

    wanted = what.lower().strip()
    inquiry = analyse_inquiry(state.inquiry_text)
    query = inquiry.title or " ".join(inquiry.topic_terms[:8]) or state.inquiry_text[:300]
    filters = SearchFilters(exclude_doc_ids=state.excluded_doc_ids)
    rank = {p.doc_id: i for i, p in enumerate(assistant.precedents(query, k=10, filters=filters))}
    found: list[tuple[int, Citation]] = []
    for doc in assistant.store.all():
        if doc.doc_id in state.excluded_doc_ids or doc.metadata.kind not in ANSWER_KINDS:
            continue
        for sec in doc.sections:
            if max(fuzz.ratio(wanted, sec.canonical.lower()), fuzz.ratio(wanted, sec.heading.lower())) < 85:
                continue
            start, end = _quote_span(doc.text, sec.body_start, sec.end)
            if end - start < 40:
                continue
            citation = doc.citation(0, start, end, sec.canonical)
            found.append((rank.get(doc.doc_id, len(rank)), citation))
            break
    return [c for _, c in sorted(found, key=lambda x: x[0])]


def _quote_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The section body trimmed of whitespace, cut at a paragraph or sentence end, and without the
    unpunctuated lines that end many sections (signatures, names, titles)."""
    while start < end and text[start].isspace():
        start += 1
    last_stop = max(text.rfind(ch, start, end) for ch in ".!?")
    if last_stop > start:
        end = last_stop + 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start > SECTION_QUOTE_CHARS:
        window = text[start : start + SECTION_QUOTE_CHARS]
        cut = max(window.rfind("\n\n"), window.rfind(". ") + 1)
        end = start + (cut if cut > SECTION_QUOTE_CHARS // 3 else SECTION_QUOTE_CHARS)
        while end > start and text[end - 1].isspace():
            end -= 1
    return start, end


def free_edit(assistant, state: ChatState, instruction: str) -> Iterator[ChatState]:
    """A free-form edit through the configured LLM; without one, say so plainly."""
    settings = assistant.settings
    if settings.llm_provider == "none" or state.draft is None:
        state.say("assistant", NO_LLM if state.draft is not None else HELP)
        yield state
        return
    from assistant.services.drafting import chat_model

    prompt = assistant.prompt("ui_edit.md")
    current = state.edited_markdown or assistant.to_markdown(state.draft)
    messages = [("system", prompt), ("human", f"UTKAST:\n{current}\n\nÄNDRING:\n{instruction}")]
    turn = state.turn
    state.say("assistant", "*Språkmodellen redigerar …*")
    yield state
    text = ""
    try:
        for chunk in chat_model(assistant).stream(messages):
            text += chunk.content if isinstance(chunk.content, str) else ""
            state.messages[turn]["content"] = md_escape(text)
            yield state
    except Exception as err:  # noqa: BLE001 - a server down or a bad setting: say so, keep the draft
        state.messages[turn]["content"] = md_escape(
            f"Språkmodellen kunde inte redigera utkastet ({type(err).__name__}: {err}). Utkastet är oförändrat."
        )
        yield state
        return
    from assistant.services.drafting import revise

    valid = {c.id for c in state.draft.citations}
    invented = sorted({int(n) for n in re.findall(r"\[(\d{1,3})\]", text)} - valid)
    note = "\n\n> ⚠ Redigerat av språkmodell och kontrollerat mot källorna: se flaggorna innan utkastet skickas."
    if invented:
        note += f"\n> ⚠ Hänvisningarna {', '.join(f'[{n}]' for n in invented)} finns inte bland utkastets källor och togs bort."
    # The edit becomes the draft only through the draft service's verification: what reaches review
    # is the verified draft with its flags, never the model's raw text.
    state.draft = revise(assistant, state.draft, text)
    state.edited_markdown = assistant.to_markdown(state.draft)
    for c in state.draft.citations:
        state.sources[source_key(turn, c.id)] = c
    state.draft_turn = turn
    state.messages[turn]["content"] = link_citations(md_escape(state.edited_markdown) + note, turn)
    yield state
