"""The conversation behind the chat tab, without Gradio: what each kind of message does.

A conversation is a :class:`ChatState` (saved to SQLite as JSON after every turn). A turn is a
generator that mutates the state and yields after each visible change, so the UI can stream. What a
message asks for is recognised by plain Swedish patterns, never by guessing facts:

- a pasted inquiry → a new draft;
- "Hur svarade Skarpnäck på fråga 2?" → the comparison's cell: the paragraph in which that district
  answered that question, quoted and cited (without a number: the nearest passages of its answers);
- "ta bort källa 2" → that citation only leaves the draft (the sentences resting on it go);
- picks in the comparison view → a draft composed from exactly those paragraphs;
- "skriv för Skarpnäck" / "byt stadsdel till …" → the draft rewritten for that district;
- "skriv en barnkonsekvensanalys" → that section built from precedent quotes, flagged to confirm;
- anything else → a free-form edit through the LLM if one is configured, else a plain explanation.

Section writing and free edits live in :mod:`assistant.ui.chat_edits`, the comparison view and the
checklist in :mod:`assistant.ui.workbench`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, Field

from assistant.models import Citation, Comparison, Draft, SearchFilters
from assistant.ui.html import citation_label, link_citations, md_escape, source_key

NEW_INQUIRY_CHARS = 250
"""A message this long (or multi-line and half as long) is taken as a new inquiry to answer."""

QUOTE_CHARS = 420
"""A quote in a chat answer is shortened for reading; the sources panel shows it whole."""

ANSWER_KINDS = {"tjänsteutlåtande", "yttrande", "riktlinje", "annat"}
"""Document kinds that can answer a question (an inquiry cannot answer itself)."""

RESTATING_ROLES = {"inquiry", "background", "preparation", "definitions", "appendix", "signatures"}
"""Section roles whose text describes the inquiry rather than answers it."""

SUMMARY_ROLES = {"summary", "decision"}
"""Section roles that summarise the answer: quoted after the sections that give it."""


_EXCLUDE_RE = re.compile(
    r"\b(?:ta\s+bort|uteslut|stryk|utan)\s+(?:käll(?:a|an|orna|or)\s*)?(?:nr\.?\s*)?"
    r"(?P<nums>\d{1,3}(?:\s*(?:,|och|&|\+)\s*\d{1,3})*)",
    re.IGNORECASE,
)
_PRECEDENT_Q_RE = re.compile(r"\b(?:hur|vad)\s+(?:svarade|besvarade|skrev|har|sade|sa)\b", re.IGNORECASE)
_QUESTION_NO_RE = re.compile(r"\b(?:fråga|att-sats|attsats|punkt)\s*(?:nr\.?\s*|nummer\s*)?(\d{1,2})\b", re.IGNORECASE)
_SECTION_RE = re.compile(
    r"^\s*(?:kan du\s+)?(?:skriv|lägg\s+till|formulera|ta\s+fram|gör)\s+(?:en|ett)\s+(?:ny\s+|nytt\s+)?"
    r"(?:avsnitt\s+(?:om|med)\s+)?(?P<what>[\wåäöÅÄÖéÉ -]{3,60}?)\s*(?:för\s.*)?[.!?]?\s*$",
    re.IGNORECASE,
)
_SWITCH_RE = re.compile(r"\b(?:byt|ändra|skriv\s+om|gör\s+om|skriv|svara|istället|i\s+stället)\b", re.IGNORECASE)
_REDRAFT_RE = re.compile(r"^\s*(?:skriv\s+om|gör\s+om|nytt\s+utkast|försök\s+igen)\b", re.IGNORECASE)
_HELP_RE = re.compile(r"^\s*(?:hjälp|help|\?|vad kan du( göra)?)\s*\??\s*$", re.IGNORECASE)

HELP = """Så här kan du arbeta med utkastet:

- **Klistra in** en skrivelse, motion eller remiss (eller ladda upp PDF/DOCX/TXT) och välj mottagande stadsdel: jag skriver ett utkast där varje stycke har källhänvisningar [n].
- **Klicka på [n]** för att se det citerade stycket i sitt dokument, markerat.
- *”Hur svarade Skarpnäck på fråga 2?”* – ordagranna citat ur den stadsdelens svar.
- *”Ta bort källa 2”* – utkastet skrivs om utan det dokumentet.
- *”Skriv för Skarpnäck”* – utkastet skrivs om för en annan stadsdel.
- *”Skriv en barnkonsekvensanalys”* – avsnittet byggs av citat ur tidigare svar, markerat att bekräfta.
- Fritt formulerade ändringar (*”gör inledningen kortare”*) kräver att en språkmodell (LLM) är konfigurerad."""

NO_LLM = (
    "Fritt formulerade ändringar kräver en språkmodell (LLM), och ingen är konfigurerad här "
    "(inställningen `llm_provider` är `none`). Utan språkmodell kan jag skriva om utkastet för en annan "
    "stadsdel, ta bort en källa, lägga till ett avsnitt ur tidigare svar eller citera hur en stadsdel svarade. "
    "Skriv *hjälp* för exempel. Du kan också redigera texten själv under fliken Granskning."
)


class ChatState(BaseModel):
    """One conversation: what is shown, the current draft and every source cited so far."""

    conversation_id: int | None = None
    title: str = "Nytt samtal"
    inquiry_text: str = ""
    district: str | None = None
    excluded_doc_ids: list[str] = Field(default_factory=list)
    draft: Draft | None = None
    draft_turn: int | None = None
    edited_markdown: str | None = Field(None, description="An LLM-edited text of the draft, if any.")
    sources: dict[str, Citation] = Field(default_factory=dict, description="'turn-n' → citation shown as [n].")
    messages: list[dict] = Field(default_factory=list, description="Chat messages as shown (escaped Markdown).")
    review_draft_id: int | None = None
    comparison: Comparison | None = Field(None, description="How the districts answered each point (built when first needed).")
    picked: list[str] = Field(default_factory=list, description="Comparison cells the officer picked for the draft.")

    @property
    def turn(self) -> int:
        """Index the next assistant message will have."""
        return len(self.messages)

    def say(self, role: str, content: str) -> None:
        self.messages.append({"role": role, "content": content})

    def current_sources(self) -> list[tuple[str, Citation]]:
        """Citations of the current draft, in order, with their keys."""
        if self.draft is None or self.draft_turn is None:
            return []
        return [(source_key(self.draft_turn, c.id), c) for c in self.draft.citations]


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------
def find_districts(text: str) -> list[str]:
    """Canonical district names mentioned in ``text`` (the registry knows former names too)."""
    from assistant.services.drafting import find_districts as registry_find

    return registry_find(text)


def district_names() -> list[str]:
    from assistant.services.drafting import district_names as names

    return names()


def is_new_inquiry(message: str) -> bool:
    text = message.strip()
    return len(text) >= NEW_INQUIRY_CHARS or (text.count("\n") >= 2 and len(text) >= NEW_INQUIRY_CHARS // 2)


TITLE_CHARS = 90


def title_for(inquiry_text: str) -> str:
    """A conversation's title: the inquiry's own title (cut at a word, not inside one) and its date."""
    from assistant.services.drafting import analyse_inquiry, inquiry_metadata

    metadata = inquiry_metadata(inquiry_text)
    title = analyse_inquiry(inquiry_text).title or metadata.title
    title = " ".join((title or next((line for line in inquiry_text.splitlines() if line.strip()), "Nytt samtal")).split())
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:–-") + " …"
    return f"{title} ({metadata.date})" if metadata.date else title


def draft_chat_markdown(draft: Draft, turn: int) -> str:
    """The draft as the chat shows it: rendered Markdown, escaped, citations linked, source list cut
    (the sources panel beside the chat lists them)."""
    from assistant.services import Assistant


    # The flags stand once, in the checklist beside the chat, and beside their paragraphs: not again on top.
    markdown = Assistant.to_markdown(draft.model_copy(update={"flags": []}))
    markdown = re.sub(r"\n## Källor\n.*?(?=\n## |\Z)", "\n", markdown, flags=re.DOTALL)
    return link_citations(md_escape(markdown), turn)


def _short_quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + " …"


# ------------------------------------------------------------------------------------------------
# turns
# ------------------------------------------------------------------------------------------------
def respond(assistant, state: ChatState, message: str, district: str | None = None) -> Iterator[ChatState]:
    """Handle one user message; yields the state after each visible change. The message is
    redacted before it enters the conversation (which is saved) or any draft."""
    from assistant.services.drafting import redacted

    message = redacted(message).strip()
    if not message:
        return
    if district:
        state.district = district
    state.say("user", md_escape(_shown(message)))
    yield state

    if is_new_inquiry(message) or not state.inquiry_text and not _is_command(message):
        if is_new_inquiry(message) or len(message) >= 80:
            yield from start_inquiry(assistant, state, message, district)
            return
    if _HELP_RE.match(message):
        state.say("assistant", HELP)
        yield state
        return
    if (m := _EXCLUDE_RE.search(message)) and state.draft is not None:
        yield from remove_sources(assistant, state, [int(n) for n in re.findall(r"\d+", m.group("nums"))])
        return
    named = find_districts(message)
    if _PRECEDENT_Q_RE.search(message) and named:
        yield from answer_precedent_question(assistant, state, message, named[0])
        return
    if (m := _SECTION_RE.match(message)) and state.inquiry_text:
        from assistant.ui.chat_edits import write_section

        yield from write_section(assistant, state, m.group("what").strip(), message)
        return
    if named and _SWITCH_RE.search(message) and state.inquiry_text:
        state.district = named[0]
        state.say("assistant", f"Jag skriver om utkastet för **{md_escape(named[0])}**.")
        yield from redraft(assistant, state)
        return
    if _REDRAFT_RE.match(message) and state.inquiry_text:
        yield from redraft(assistant, state)
        return
    if not state.inquiry_text:
        yield from search_answer(assistant, state, message)
        return
    from assistant.ui.chat_edits import free_edit

    yield from free_edit(assistant, state, message)


SHOWN_INQUIRY_CHARS = 600
"""A pasted inquiry is shown shortened in the chat; the whole text is what gets answered."""


def _shown(message: str) -> str:
    if not is_new_inquiry(message) or len(message) <= SHOWN_INQUIRY_CHARS:
        return message
    cut = message[:SHOWN_INQUIRY_CHARS].rsplit(" ", 1)[0]
    return f"{cut} … *({len(message)} tecken inklistrade)*"


def _is_command(message: str) -> bool:
    return bool(
        _HELP_RE.match(message)
        or _EXCLUDE_RE.search(message)
        or _PRECEDENT_Q_RE.search(message)
        or _SECTION_RE.match(message)
    )


def start_inquiry(assistant, state: ChatState, inquiry_text: str, district: str | None) -> Iterator[ChatState]:
    """A new inquiry: reset the draft context (the chat history stays) and draft an answer."""
    state.inquiry_text = inquiry_text
    state.title = title_for(inquiry_text)
    state.excluded_doc_ids = []
    state.edited_markdown = None
    state.review_draft_id = None
    if district is None:
        from assistant.services.drafting import analyse_inquiry

        state.district = analyse_inquiry(inquiry_text).district
    yield from redraft(assistant, state)


def redraft(assistant, state: ChatState) -> Iterator[ChatState]:
    """Stream a draft for the current inquiry, district and exclusions into a new chat message."""
    turn = state.turn
    who = f"för {state.district}" if state.district else "(ingen mottagande stadsdel vald)"
    state.say("assistant", f"*Söker prejudikat och skriver utkast {md_escape(who)} …*")
    yield state
    streamed = ""
    draft: Draft | None = None
    for item in assistant.stream_draft(state.inquiry_text, state.district, None, state.excluded_doc_ids):
        if isinstance(item, Draft):
            draft = item
        else:
            streamed += item
            state.messages[turn]["content"] = md_escape(streamed)
            yield state
    if draft is None:  # the drafter's contract is to end with the Draft; say so rather than hang
        state.messages[turn]["content"] = "Utkastet kunde inte skapas (inget resultat från utkastskrivaren)."
        yield state
        return
    state.comparison = None  # district or exclusions may have changed: built again when needed
    state.picked = []
    show_draft(state, draft, turn)
    yield state


def show_draft(state: ChatState, draft: Draft, turn: int) -> None:
    """Make ``draft`` the current draft, shown in message ``turn`` with its sources registered."""
    state.draft = draft
    state.draft_turn = turn
    state.edited_markdown = None
    state.review_draft_id = None
    for c in draft.citations:
        state.sources[source_key(turn, c.id)] = c
    state.messages[turn]["content"] = draft_chat_markdown(draft, turn)


def remove_sources(assistant, state: ChatState, numbers: list[int]) -> Iterator[ChatState]:
    """Take citations ``numbers`` out of the current draft: only those citations (the sentences that
    rest on them), not every passage of their documents. Shown as a new message."""
    assert state.draft is not None
    unknown = [str(n) for n in numbers if state.draft.citation(n) is None]
    known = sorted({n for n in numbers if state.draft.citation(n) is not None}, reverse=True)
    if unknown:
        state.say("assistant", f"Utkastet har ingen källa {', '.join(unknown)}.")
        yield state
    if not known:
        return
    removed = "; ".join(f"[{n}] {md_escape(citation_label(state.draft.citation(n)))}" for n in sorted(known))
    draft = state.draft
    for n in known:  # highest first: the lower numbers stay as the officer read them
        draft = assistant.remove_citation(draft, n)
    turn = state.turn
    state.say("assistant", "")
    show_draft(state, draft, turn)
    state.messages[turn]["content"] = f"Jag tog bort källa {removed} ur utkastet.\n\n" + state.messages[turn]["content"]
    yield state


def exclude_doc_ids(assistant, state: ChatState, doc_ids: list[str]) -> Iterator[ChatState]:
    """The control beside the chat: exclude these documents and redraft."""
    new = [d for d in doc_ids if d not in state.excluded_doc_ids]
    state.excluded_doc_ids.extend(new)
    state.say("assistant", f"Jag skriver om utkastet utan {len(new)} markerade källdokument.")
    yield from redraft(assistant, state)


def answer_precedent_question(assistant, state: ChatState, message: str, district: str) -> Iterator[ChatState]:
    """How did ``district`` answer? With a point number ("fråga 2"): the comparison's cell, the
    paragraph in which that district answered that point, quoted and cited. Without one: verbatim
    quotes from the district's answers nearest to the message, each cited."""
    from assistant.services.drafting import current_district

    m = _QUESTION_NO_RE.search(message)
    if m and state.inquiry_text:
        from assistant.ui.workbench import ensure_comparison

        comparison = ensure_comparison(assistant, state)
        number = int(m.group(1))
        if comparison is None or not 1 <= number <= len(comparison.rows):
            rows = len(comparison.rows) if comparison else 0
            state.say("assistant", f"Ärendet har {rows} numrerade punkter; {md_escape(m.group(0))} finns inte.")
            yield state
            return
        row = comparison.rows[number - 1]
        cells = [c for c in row.cells if current_district(c.citation.district) == current_district(district)]
        if not cells:
            others = ", ".join(sorted({c.citation.district or "okänd stadsdel" for c in row.cells})) or "ingen stadsdel"
            state.say(
                "assistant",
                f"Arkivet har inget svar från **{md_escape(district)}** på {md_escape(row.label.lower())} "
                f"(”{md_escape(_short_quote(row.point))}”). Den besvaras i arkivet av: {md_escape(others)}.",
            )
            yield state
            return
        turn = state.turn
        lines = [f"Så här svarade **{md_escape(district)}** på {md_escape(row.label.lower())} (”{md_escape(_short_quote(row.point))}”), ordagrant:", ""]
        for i, cell in enumerate(cells, start=1):
            c = cell.citation.model_copy(update={"id": i})
            state.sources[source_key(turn, i)] = c
            stance = f" – ståndpunkt: **{cell.position}**" if cell.position else ""
            where = ", ".join(x for x in (c.date, f"Dnr {c.diarienummer}" if c.diarienummer else None, f"avsnitt ”{c.section}”") if x)
            lines += [f"> ”{md_escape(_short_quote(c.quote))}” [{i}]", "", f"<small>{md_escape(where)}</small>{stance}", ""]
        lines.append("Klicka på hänvisningen för att se stycket i sitt sammanhang; i Jämförelse kan du välja det till utkastet.")
        state.say("assistant", link_citations("\n".join(lines), turn))
        yield state
        return
    query = message
    if state.inquiry_text:
        from assistant.services.drafting import analyse_inquiry

        query = f"{message} {' '.join(analyse_inquiry(state.inquiry_text).topic_terms[:6])}"
    found = [p for p in assistant.search(query, k=12, filters=SearchFilters(district=district)) if p.kind in ANSWER_KINDS]
    # Sections that restate the inquiry or the background do not say how the district answered.
    passages = sorted(found, key=lambda p: 2 if p.section_role in RESTATING_ROLES else p.section_role in SUMMARY_ROLES)[:3]
    turn = state.turn
    if not passages:
        state.say("assistant", f"Jag hittar inget svar från **{md_escape(district)}** i kunskapsbanken om detta.")
        yield state
        return
    lines = [f"Så här svarade **{md_escape(district)}**, ordagrant ur dokumenten:", ""]
    for i, p in enumerate(passages, start=1):
        c = Citation.from_passage(i, p)
        state.sources[source_key(turn, i)] = c
        where = ", ".join(x for x in (p.date, f"Dnr {p.diarienummer}" if p.diarienummer else None, f"avsnitt ”{p.section}”") if x)
        lines += [f"> ”{md_escape(_short_quote(p.text))}” [{i}]", "", f"<small>{md_escape(where)}</small>", ""]
    lines.append("Klicka på en hänvisning för att se citatet i sitt sammanhang.")
    state.say("assistant", link_citations("\n".join(lines), turn))
    yield state


def search_answer(assistant, state: ChatState, message: str) -> Iterator[ChatState]:
    """A short question with no inquiry yet: the nearest passages, quoted and cited."""
    named = find_districts(message)
    filters = SearchFilters(district=named[0]) if named and _PRECEDENT_Q_RE.search(message) else None
    passages = assistant.search(message, k=3, filters=filters)
    turn = state.turn
    if not passages:
        state.say("assistant", "Jag hittar inget i kunskapsbanken om detta. Klistra in skrivelsen för att få ett utkast.")
        yield state
        return
    lines = ["Det här är de närmaste styckena i kunskapsbanken. Klistra in hela skrivelsen för att få ett utkast.", ""]
    for i, p in enumerate(passages, start=1):
        state.sources[source_key(turn, i)] = Citation.from_passage(i, p)
        lines += [f"> ”{md_escape(_short_quote(p.text))}” [{i}]", "", f"<small>{md_escape(p.district or 'okänd stadsdel')}, {md_escape(p.date or 'odaterat')}</small>", ""]
    state.say("assistant", link_citations("\n".join(lines), turn))
    yield state
