"""The comparison view and the checklist behind the Utkast tab, without Gradio: how each district
answered each point (built once per draft), a draft composed from the officer's picks, and the
draft's flags as one list to tick off."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.models import Comparison, Draft
from assistant.ui.chat import ChatState, show_draft


def ensure_comparison(assistant, state: ChatState) -> Comparison | None:
    """The comparison for the current inquiry, built once; the cells the current draft cites start picked."""
    if state.comparison is None and state.inquiry_text:
        state.comparison = assistant.compare(state.inquiry_text, state.district, state.excluded_doc_ids)
        state.picked = cited_cells(state.comparison, state.draft)
    return state.comparison


def cited_cells(comparison: Comparison, draft: Draft | None) -> list[str]:
    """Cells whose paragraph the draft cites (a citation inside or overlapping it)."""
    if draft is None:
        return []
    spans = [(c.doc_id, c.start, c.end) for c in draft.citations]
    return [
        cell.key
        for row in comparison.rows
        for cell in row.cells
        if any(d == cell.citation.doc_id and a < cell.citation.end and cell.citation.start < b for d, a, b in spans)
    ]


def compose_picked(assistant, state: ChatState, keys: list[str]) -> Iterator[ChatState]:
    """A new draft from exactly the picked comparison cells (verified, local facts flagged)."""
    state.picked = list(keys)
    turn = state.turn
    state.say("assistant", f"*Skriver utkastet av {len(keys)} valda stycken …*")
    yield state
    draft = assistant.compose(state.inquiry_text, keys, state.district, state.excluded_doc_ids)
    show_draft(state, draft, turn)
    yield state


def register_comparison_sources(state: ChatState) -> dict[str, str]:
    """Register every comparison cell as a source the chat's links open (``jmf-<n>``); returns
    cell key → source key."""
    keys: dict[str, str] = {}
    if state.comparison is None:
        return keys
    for n, cell in enumerate((c for r in state.comparison.rows for c in r.cells), start=1):
        key = f"jmf-{n}"
        state.sources[key] = cell.citation
        keys[cell.key] = key
    return keys


def checklist(draft: Draft | None) -> list[tuple[str, str, bool]]:
    """Every flag of the draft once, in reading order: (key, label, done)."""
    from assistant.services.drafting import flag_labels

    FLAG_LABELS = flag_labels()

    if draft is None:
        return []
    seen: dict[str, tuple[str, str, bool]] = {}
    flags = [*draft.flags, *(f for sec in draft.sections for p in sec.paragraphs for f in p.flags)]
    for f in flags:
        if f.key not in seen:
            seen[f.key] = (f.key, f"{FLAG_LABELS.get(f.kind, f.kind)}: {f.message}", f.done)
    return list(seen.values())


def tick(state: ChatState, done: list[str]) -> None:
    """Mark the flags with keys in ``done`` as done and every other flag as open, wherever they stand."""
    if state.draft is None:
        return
    keys = set(done)
    for f in [*state.draft.flags, *(f for sec in state.draft.sections for p in sec.paragraphs for f in p.flags)]:
        f.done = f.key in keys
