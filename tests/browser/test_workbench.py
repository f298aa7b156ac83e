"""The officer's workbench in a real browser: compare how the districts answered, pick paragraphs,
compose, tick off flags, take the Word file; and an accessibility check with axe-core.

Runs against the shared app server of ``conftest.py`` (the seeds indexed, five users).
"""

from __future__ import annotations

import re
import time

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.browser.test_app_browser import SEED_002, _pick_district, _read_seed, _wait_for_whole_draft

from assistant.review.auth import User
from assistant.review.db import ReviewStore
from assistant.ui.chat import ChatState

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = User("root", "admin")
SIGNATURE = "NAMN, avdelningschef"


def _drafts_shown(page) -> int:
    return page.evaluate(f"() => document.querySelector('#ua-chat').innerText.split('{SIGNATURE}').length - 1")


def _saved_state(app_server, owner: str) -> ChatState:
    review = ReviewStore(app_server.data_dir / "assistant.sqlite3")
    newest = review.conversations(User(owner, "handläggare"))[0]
    return ChatState.model_validate(review.conversation(ROOT, newest.id).state)


def test_compare_pick_two_paragraphs_compose_tick_and_export(app_server, login, tmp_path):
    context, page = login("ali")
    page.locator("#ua-message textarea").fill(_read_seed(SEED_002))
    _pick_district(page, "Farsta")
    t0 = time.perf_counter()
    page.locator("#ua-send").click()
    _wait_for_whole_draft(page)

    # the comparison: rows are the questions, columns the districts that answered
    page.get_by_role("tab", name="Jämförelse").click()
    page.wait_for_selector("#ua-compare table", timeout=60_000)
    header = page.locator("#ua-compare thead").inner_text()
    assert "Hässelby-Vällingby" in header and "Skarpnäck" in header
    assert [t.strip().split("\n")[0] for t in page.locator("#ua-compare tbody th").all_inner_texts()] == ["Fråga 1", "Fråga 2"]
    page.screenshot(path="/tmp/ua-comparison.png", full_page=True)

    # pick exactly two paragraphs: Skarpnäck's answer to question 1, Hässelby-Vällingby's to question 2
    picks = page.locator("#ua-picks")
    for box in picks.locator("input[type='checkbox']").all():
        if box.is_checked():
            box.uncheck()
    picks.locator("label").filter(has_text=re.compile(r"Fråga 1 · Skarpnäck")).locator("input").check()
    picks.locator("label").filter(has_text=re.compile(r"Fråga 2 · Hässelby-Vällingby")).locator("input").check()
    shown = _drafts_shown(page)
    page.locator("#ua-compose").click()
    page.wait_for_function(
        f"() => document.querySelector('#ua-chat').innerText.split('{SIGNATURE}').length - 1 > {shown}",
        timeout=120_000,
        polling=100,
    )
    composed = time.perf_counter() - t0
    print(f"\npaste → first draft → comparison → composed draft in the browser: {composed:.1f} s")
    page.screenshot(path="/tmp/ua-composed.png", full_page=True)

    state = _saved_state(app_server, "ali")
    cells = [state.comparison.cell(k) for k in state.picked]
    assert len(cells) == 2
    assert {(c.citation.district, k.split(":")[0]) for c, k in zip(cells, state.picked)} == {("Skarpnäck", "1"), ("Hässelby-Vällingby", "2")}
    cited = [(c.doc_id, c.start, c.end) for c in state.draft.citations]
    inside = lambda d, a, b: any(d == c.citation.doc_id and c.citation.start <= a and b <= c.citation.end for c in cells)  # noqa: E731
    assert cited and all(inside(*span) for span in cited), "every citation lies in a picked paragraph"
    assert all(any(d == c.citation.doc_id for d, _, _ in cited) for c in cells), "every picked paragraph is cited"
    # another district's local facts stay flagged for confirmation
    local = [p for sec in state.draft.sections for p in sec.paragraphs if p.role == "local"]
    assert all(any(f.kind == "att_bekrafta" for f in p.flags) for p in local)

    # the checklist: each flag once; a tick is kept with the conversation and with the version
    page.get_by_role("tab", name="Att göra").click()
    items = page.locator("#ua-checklist label")
    labels = items.all_inner_texts()
    assert labels and len(labels) == len(set(labels))
    target = next(i for i, text in enumerate(labels) if not text.startswith("✎"))
    items.nth(target).locator("input").check()
    page.wait_for_function(
        "() => document.querySelector('#ua-download a') !== null", timeout=30_000
    )
    page.wait_for_timeout(1000)
    ticked = [f for f in _saved_state(app_server, "ali").draft.flags if f.done] or [
        f for sec in _saved_state(app_server, "ali").draft.sections for p in sec.paragraphs for f in p.flags if f.done
    ]
    assert ticked

    # the chat's Word file: Swedish, a draft (not approved), header, footer, sources by title
    with page.expect_download(timeout=30_000) as info:
        page.locator("#ua-download a").click()
    path = tmp_path / "utkast.docx"
    info.value.save_as(path)
    doc = Document(str(path))
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert rpr.find(qn("w:lang")).get(qn("w:val")) == "sv-SE"
    header = "\n".join(p.text for p in doc.sections[0].header.paragraphs)
    assert "UTKAST" in header and "Farsta" in header
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Källor" in text and not re.search(r"_[0-9a-f]{16}\.txt", text)
    assert "✔ Åtgärdat" in "\n".join(c.text for c in doc.comments) or "✔ Åtgärdat" in text

    # submitted for review, the ticked flag is no longer an open item
    page.locator("#ua-submit-review").click()
    page.wait_for_function(
        "() => document.querySelector('#ua-chat-status').innerText.includes('skickat på granskning')", timeout=20_000
    )
    review = ReviewStore(app_server.data_dir / "assistant.sqlite3")
    draft_id = review.list_drafts(ROOT, owner="ali", status="för granskning")[0].id
    markdown = review.version(ROOT, draft_id).markdown
    assert "✔ Åtgärdat" in markdown
    assert not any(ticked[0].message in item for item in review.open_items(ROOT, draft_id))
    context.close()


def test_follow_up_question_answers_from_the_comparison(app_server, login):
    context, page = login("anna")
    page.locator("#ua-message textarea").fill(_read_seed(SEED_002))
    _pick_district(page, "Farsta")
    page.locator("#ua-send").click()
    _wait_for_whole_draft(page)
    page.locator("#ua-download a").wait_for(timeout=30_000)  # the turn is over: saved, Word file written
    page.locator("#ua-message textarea").fill("Hur svarade Skarpnäck på fråga 2?")
    page.locator("#ua-message textarea").press("Control+Enter")  # Ctrl+Enter sends
    page.wait_for_function(
        "() => document.querySelector('#ua-chat').innerText.includes('Så här svarade Skarpnäck på fråga 2')",
        timeout=60_000,
    )
    answer = page.locator("#ua-chat [data-testid='bot']").last
    assert "signatur" not in answer.inner_text().lower()
    answer.locator("a[href^='#kalla-']").first.click()
    page.locator("#ua-passage mark").wait_for(timeout=20_000)
    assert "Skarpnäck" in page.locator("#ua-passage").inner_text()
    context.close()


def test_swedish_page_and_no_serious_accessibility_violations(app_server, login):
    from axe_playwright_python.sync_playwright import Axe

    context, page = login("root")  # the test browser's language is English: Gradio's own controls speak Swedish anyway
    assert page.evaluate("() => document.documentElement.lang") == "sv"
    page.get_by_role("tab", name="Kunskapsbank").click()
    page.get_by_text("Släpp fil här").first.wait_for(timeout=20_000)
    assert "Drop File Here" not in page.locator("#ua-kb-files").inner_text()
    page.get_by_role("tab", name="Utkast").click()
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [(n["target"], n.get("any", [{}])[0].get("data", {})) for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
    context.close()
    login_page = context.browser.new_page()
    login_page.goto(app_server.url)
    login_results = Axe().run(login_page)
    assert [v["id"] for v in login_results.response["violations"] if v["impact"] in ("serious", "critical")] == []
    login_page.close()
