"""The chat's turns on the real seeded index: drafting, precedent questions, dropping a source,
switching district, sections from precedent, and escaping of document text."""

from __future__ import annotations

import re

import pytest

from assistant.draft.skeleton import TRAILING_SECTIONS
from assistant.models import Citation
from assistant.review.auth import User
from assistant.review.db import ReviewStore
from assistant.ui import chat, workbench
from assistant.ui.html import md_escape, passage_html
from tests.helpers import SEED_IDS, seed_path

pytestmark = pytest.mark.slow


def _run(assistant, state, message, district=None):
    for state in chat.respond(assistant, state, message, district):
        pass
    return state


def _run_turn(turns):
    for state in turns:
        pass
    return state


def _quotes_exact(assistant, state):
    for key, c in state.sources.items():
        assert assistant.store.get(c.doc_id).text[c.start : c.end] == c.quote, key


@pytest.fixture(scope="module")
def drafted(seeded_assistant):
    state = _run(seeded_assistant, chat.ChatState(), seed_path("002").read_text(encoding="utf-8"), "Hässelby-Vällingby")
    return state


def test_pasted_inquiry_is_drafted_with_linked_citations(seeded_assistant, drafted):
    assert drafted.district == "Hässelby-Vällingby"
    assert drafted.draft is not None and drafted.draft.citations
    shown = drafted.messages[-1]["content"]
    assert "Hässelby-Vällingby stadsdelsnämnd" in shown
    assert f"(#kalla-{drafted.draft_turn}-1)" in shown
    assert "## Källor" not in shown  # listed in the sources panel instead
    assert [k for k, _ in drafted.current_sources()] == [f"{drafted.draft_turn}-{c.id}" for c in drafted.draft.citations]
    _quotes_exact(seeded_assistant, drafted)


def test_precedent_question_quotes_that_district(seeded_assistant, drafted):
    state = drafted.model_copy(deep=True)
    state = _run(seeded_assistant, state, "Hur svarade Skarpnäck på fråga 2?")
    answer = state.messages[-1]["content"]
    assert answer.startswith("Så här svarade **Skarpnäck** på fråga 2")
    turn = len(state.messages) - 1
    cited = [c for k, c in state.sources.items() if k.startswith(f"{turn}-")]
    assert cited and all(c.district == "Skarpnäck" for c in cited)
    first = seeded_assistant.store.get(cited[0].doc_id)
    assert first.section_at(cited[0].start).role not in chat.RESTATING_ROLES
    _quotes_exact(seeded_assistant, state)
    state = _run(seeded_assistant, state, "Hur svarade Skarpnäck på fråga 9?")
    assert "fråga 9 finns inte" in state.messages[-1]["content"]
    # the answer comes from the comparison: exactly the cell of Skarpnäck's answer on question 2
    row = state.comparison.rows[1]
    cell = next(c for c in row.cells if c.citation.district == "Skarpnäck")
    assert (cited[0].doc_id, cited[0].start, cited[0].end) == (cell.citation.doc_id, cell.citation.start, cell.citation.end)
    state = _run(seeded_assistant, state, "Hur svarade Farsta på fråga 1?")
    assert "Arkivet har inget svar från **Farsta** på fråga 1" in state.messages[-1]["content"]


def test_comparison_rows_columns_and_a_draft_from_two_picks(seeded_assistant, drafted):
    state = drafted.model_copy(deep=True)
    comparison = workbench.ensure_comparison(seeded_assistant, state)
    assert [r.label for r in comparison.rows] == ["Fråga 1", "Fråga 2"]
    assert comparison.columns[0].own and comparison.columns[0].district == "Hässelby-Vällingby"  # own answer first
    assert {c.district for c in comparison.columns} >= {"Hässelby-Vällingby", "Skarpnäck"}
    for row in comparison.rows:
        for cell in row.cells:
            doc = seeded_assistant.store.get(cell.citation.doc_id)
            assert doc.text[cell.citation.start : cell.citation.end] == cell.citation.quote
    assert state.picked and set(state.picked) <= {c.key for r in comparison.rows for c in r.cells}
    picks = [comparison.rows[0].cells[-1].key, comparison.rows[1].cells[-1].key]
    state = _run_turn(workbench.compose_picked(seeded_assistant, state, picks))
    spans = [(c.doc_id, c.start, c.end) for c in state.draft.citations]
    chosen = [comparison.cell(k).citation for k in picks]
    assert spans and all(any(d == p.doc_id and p.start <= a and b <= p.end for p in chosen) for d, a, b in spans)
    assert all(any(d == p.doc_id for d, _, _ in spans) for p in chosen)
    assert not any(f.kind == "invalid_citation" for f in state.draft.flags)
    others = [p for sec in state.draft.sections for p in sec.paragraphs if p.role == "local"]
    assert all(f.kind == "att_bekrafta" for p in others for f in p.flags[:1])
    _quotes_exact(seeded_assistant, state)


def test_checklist_lists_each_flag_once_and_ticks_are_kept(drafted):
    state = drafted.model_copy(deep=True)
    items = workbench.checklist(state.draft)
    assert len(items) == len({k for k, _, _ in items}) and not any(done for _, _, done in items)
    first, label, _ = next(i for i in items if not i[1].startswith("✎"))  # a flag, not a placeholder to fill in
    workbench.tick(state, [first])
    assert [k for k, _, done in workbench.checklist(state.draft) if done] == [first]
    from assistant.draft.render import to_markdown
    from assistant.review.db import open_items

    open_before = open_items(to_markdown(drafted.draft))
    open_after = open_items(to_markdown(state.draft))
    assert label in open_before and label not in open_after
    assert len(open_after) == len(open_before) - 1


def test_drop_source_switch_district_and_add_section(seeded_assistant, drafted):
    state = drafted.model_copy(deep=True)
    before = state.draft.citations
    gone = before[0]
    same_doc = [(c.start, c.end) for c in before[1:] if c.doc_id == gone.doc_id]
    assert same_doc, "the seed draft cites several passages of its first source"
    state = _run(seeded_assistant, state, "ta bort källa 1")
    assert state.messages[-1]["content"].startswith("Jag tog bort källa [1]")
    after = state.draft.citations
    # only that citation went: the document's other passages stay, renumbered from 1
    assert (gone.doc_id, gone.start, gone.end) not in {(c.doc_id, c.start, c.end) for c in after}
    assert [(c.start, c.end) for c in after if c.doc_id == gone.doc_id] == same_doc
    assert [c.id for c in after] == list(range(1, len(before)))
    assert not state.excluded_doc_ids
    _quotes_exact(seeded_assistant, state)

    state = _run(seeded_assistant, state, "uteslut källa 99")
    assert "ingen källa 99" in state.messages[-1]["content"]
    state.excluded_doc_ids.append(gone.doc_id)  # the control beside the chat excludes whole documents
    state = _run(seeded_assistant, state, "Skriv för Skarpnäck istället")
    assert state.district == "Skarpnäck" and "Skarpnäck" in state.messages[-1]["content"]
    assert gone.doc_id in state.excluded_doc_ids  # exclusions survive a district switch
    assert all(c.doc_id != gone.doc_id for c in state.draft.citations)

    state = drafted.model_copy(deep=True)
    before = len(state.draft.sections)
    state = _run(seeded_assistant, state, "Skriv en jämställdhetsanalys")
    added = [s for s in state.draft.sections if s.heading == "Jämställdhetsanalys"]
    assert len(state.draft.sections) == before + 1 and len(added) == 1
    para = added[0].paragraphs[0]
    assert para.flags[0].kind == "att_bekrafta"
    cited = state.draft.citation(para.citations[0])
    assert cited.section == "Jämställdhetsanalys" and cited.doc_id == SEED_IDS["001"]
    assert cited.quote.rstrip().endswith((".", "!", "?"))  # signature lines are not quoted
    headings = [s.heading for s in state.draft.sections]
    assert not any(h in TRAILING_SECTIONS for h in headings[: headings.index("Jämställdhetsanalys")])
    _quotes_exact(seeded_assistant, state)

    state = _run(seeded_assistant, state, "Skriv en kulturmiljöanalys")
    assert "hittar inget avsnitt" in state.messages[-1]["content"]


def test_free_edit_without_llm_says_so(seeded_assistant, drafted):
    assert seeded_assistant.settings.llm_provider == "none"
    state = _run(seeded_assistant, drafted.model_copy(deep=True), "gör inledningen kortare och mer formell")
    assert "kräver en språkmodell" in state.messages[-1]["content"]


def test_conversation_round_trips_through_sqlite(tmp_path, drafted):
    store = ReviewStore(tmp_path / "db.sqlite3")
    anna = User("anna", "handläggare")
    cid = store.save_conversation(anna, drafted.model_dump(mode="json"), drafted.title)
    reopened = chat.ChatState.model_validate(store.conversation(anna, cid).state)
    assert reopened.messages == drafted.messages
    assert reopened.draft == drafted.draft and reopened.sources == drafted.sources


def test_document_text_is_escaped(seeded_assistant):
    assert md_escape("a <script>x</script> & b") == "a &lt;script>x&lt;/script> &amp; b"
    doc = seeded_assistant.store.get(SEED_IDS["000"]).model_copy(deep=True)
    doc.text = doc.text[:200] + "<script>alert(1)</script>" + doc.text[200:]
    start = 200
    c = Citation(id=3, source=doc.source, doc_id=doc.doc_id, district="X", section="S", start=start, end=start + 25, quote=doc.text[start : start + 25])
    html = passage_html(doc, c)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark id='ua-quote'>&lt;script&gt;" in html
    stale = c.model_copy(update={"quote": "något annat"})
    assert "<mark" not in passage_html(doc, stale) and "stämmer inte längre" in passage_html(doc, stale)


def test_free_edit_with_a_local_llm_checks_its_citations(seeded_assistant, drafted, gemma_gguf):
    """The real local model (gemma-3-270m through llama.cpp) edits; invented [n] are called out."""
    from assistant.services import Assistant

    settings = seeded_assistant.settings.model_copy(
        update={"llm_provider": "llamacpp", "llm_model_path": gemma_gguf, "llm_max_tokens": 48, "llm_temperature": 0.0}
    )
    state = drafted.model_copy(deep=True)
    state = _run(Assistant(settings), state, "gör inledningen kortare")
    shown = state.messages[-1]["content"]
    assert state.edited_markdown is not None and state.edited_markdown.strip()
    assert "Redigerat av språkmodell" in shown
    # The edit went through verify: every citation left is one of the draft's sources, exact.
    valid = {c.id for c in state.draft.citations}
    assert {int(n) for n in re.findall(r"\[(\d{1,3})\]", state.edited_markdown.split("## Källor")[0])} <= valid
    _quotes_exact(Assistant(settings), state)
    if "finns inte bland utkastets källor" in shown:
        assert any(f.kind == "invalid_citation" for f in state.draft.flags)
    for s in state.draft.sections:
        for p in s.paragraphs:
            if p.role in ("content", "local"):
                assert p.support is not None or any(f.kind == "unsupported" for f in p.flags), p.text


def test_document_markdown_makes_no_links_or_images():
    """A knowledge document cannot make readers' browsers fetch or follow anything: its Markdown
    links, images, reference links and bare URLs are shown as text."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")  # the browser's renderer also autolinks bare URLs: checked on the text below
    text = "Läs [mer här](https://evil.example/x), ![](http://track.example/p.png), [a][r] och www.evil.example.\n\n[r]: https://evil.example/r"
    rendered = md.render(md_escape(text))
    assert "<a " not in rendered and "<img" not in rendered and "href" not in rendered
    assert "evil.example" in rendered  # still visible as text
    escaped = md_escape(text)
    assert "https://" not in escaped and "http://" not in escaped and "www.evil" not in escaped  # no autolinks
    linked = md.render(chat.link_citations(md_escape("Se källa [2]."), 4))
    assert 'href="#kalla-4-2"' in linked  # the app's own citation links stay live
