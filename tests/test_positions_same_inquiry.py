"""Positions on a motion come only from answers to that motion.

Two synthetic tuning topics of the development archive are both motions remitted by kommunstyrelsen
with three att-satser and answers that go through them in turn ("Förvaltningen delar därför delvis
…", "Förvaltningen delar inte …"): the hundrastgårdar motion and the klotter-och-nedskräpning motion.
Both mention park litter bins, so a klotter answer is retrieved for the hundrastgårdar motion; its
stances, in the same order and numbered alike, must not be listed as positions on the hundrastgårdar
att-satser, nor its district as having answered "the same remiss".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.draft import positions
from assistant.draft.inquiry import analyse_inquiry
from assistant.draft.paragraphs import Build
from assistant.draft.precedent_drafter import PrecedentDrafter
from assistant.draft.proposal import propose_positions
from assistant.draft.relevance import Scored
from assistant.draft.render import to_markdown
from assistant.draft.sections import answer_sections
from assistant.settings import REPO_ROOT, Settings

pytestmark = pytest.mark.slow

DOCS = REPO_ROOT / "eval" / "archive" / "docs"


@pytest.fixture(scope="module")
def two_motions(tmp_path_factory: pytest.TempPathFactory):
    from assistant.services import Assistant

    assistant = Assistant(Settings(data_dir=tmp_path_factory.mktemp("two-motions") / "data"))
    report = assistant.ingest([DOCS / "hundrastgardar", DOCS / "klotter-nedskrapning"])
    assert report.ok, report.failed
    return assistant


def test_only_answers_to_the_same_motion_state_positions_on_it(two_motions) -> None:
    text = Path(DOCS / "hundrastgardar" / "hundrastgardar__inquiry.txt").read_text(encoding="utf-8")
    inquiry = analyse_inquiry(text, district="Farsta")
    assert len(inquiry.att_satser) == 3
    draft = two_motions.draft(text, district="Farsta")
    stated = [pp for p in draft.positions for pp in p.precedents]
    sources = {c.doc_id: c.source for c in draft.citations}
    assert stated, "the four hundrastgårdar answers state positions"
    assert all("hundrastgardar__" in sources[pp.doc_id] for pp in stated), [sources[pp.doc_id] for pp in stated]
    # Every hundrastgårdar answer is listed as having answered the same remiss; no klotter answer is.
    same = next(p for s in draft.sections for p in s.paragraphs if "har även besvarats av" in p.text)
    listed = {draft.citations[c - 1].doc_id for c in same.citations}
    assert {sources[d] for d in listed} and all("hundrastgardar__" in sources[d] for d in listed)
    assert len(listed) == 4
    assert "Prejudikatens ståndpunkter" in to_markdown(draft)


def test_another_motions_answer_found_answering_still_states_no_position(two_motions) -> None:
    """In the whole archive retrieval took Södermalm's klotter answer for an answer to the
    hundrastgårdar motion's third att-sats (both speak of emptying park bins). Its stances go through
    *its* three att-satser in order, so read against the hundrastgårdar att-satser they are assigned
    one to one; listed as positions they would be another motion's stances quoted as precedent."""
    text = Path(DOCS / "hundrastgardar" / "hundrastgardar__inquiry.txt").read_text(encoding="utf-8")
    inquiry = analyse_inquiry(text, district="Farsta")
    drafter = PrecedentDrafter(two_motions)
    klotter = two_motions.store.get("klotter-nedskrapning__sodermalm")
    secs = [(sec, sec.heading) for sec in answer_sections(klotter) if sec.role != "child_analysis"]
    assert positions.precedent_positions(klotter, inquiry.att_satser, secs, drafter.thresholds), "the hazard: its stances fit by order"
    found = drafter.gather(inquiry, [])
    assert "klotter-nedskrapning__sodermalm" not in found.same_inquiry
    assert {d for d in found.same_inquiry} == {f"hundrastgardar__{d}" for d in ("bromma", "hagersten-alvsjo", "kungsholmen", "spanga-tensta")}
    like = next(s for ev in found.evidence for s in ev.ranked)
    for ev in found.evidence:  # as if retrieval had judged it an answer to every point
        ev.ranked.append(Scored(like.precedent.model_copy(update={"doc_id": klotter.doc_id}), klotter, 10.0, 1.0, own=False))
    stated = {pp.doc_id for p in propose_positions(inquiry, found, Build(), drafter.thresholds) for pp in p.precedents}
    assert stated and "klotter-nedskrapning__sodermalm" not in stated
