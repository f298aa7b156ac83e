"""The default drafter on the real seeds with the real model, index and store (no LLM)."""

from __future__ import annotations

import re

import pytest
from tests.helpers import SEED_IDS, seed_path

from assistant.draft import adapt, districts
from assistant.draft.render import to_markdown
from assistant.models import Draft

HV = "Hässelby-Vällingby"
SNOW = (
    "Skrivelse om snöröjning på cykelbanor\n\n"
    "Många cyklister vittnar om att cykelbanorna snöröjs för sent på morgonen.\n\n"
    "- Hur säkerställer stadsdelsnämnden att cykelbanorna snöröjs före klockan sju på vardagar?\n"
    "- Hur följer förvaltningen upp entreprenörens snöröjning av gång- och cykelvägar?\n"
)


@pytest.fixture(scope="session")
def hv_draft(seeded_assistant) -> Draft:
    """Seed 002 answered for Hässelby-Vällingby with its own answer (000) hidden."""
    return seeded_assistant.draft(
        seed_path("002").read_text(encoding="utf-8"), district=HV, exclude_doc_ids=[SEED_IDS["000"]]
    )


@pytest.fixture(scope="session")
def skarpnack_draft(seeded_assistant) -> Draft:
    """Seed 002 answered for Skarpnäck with its own answer (001) hidden: the precedent is 000,
    which is full of Hässelby-Vällingby's local facts (Vällingbyskolan, "i stadsdelsområdet")."""
    return seeded_assistant.draft(
        seed_path("002").read_text(encoding="utf-8"), district="Skarpnäck", exclude_doc_ids=[SEED_IDS["001"]]
    )


def _section(draft: Draft, heading: str):
    return next(s for s in draft.sections if s.heading == heading)


def test_answers_both_questions_citing_001(hv_draft: Draft) -> None:
    assert not hv_draft.no_precedent
    assert hv_draft.district == HV
    answer = _section(hv_draft, "Förvaltningens synpunkter och förslag").paragraphs
    labels = [i for i, p in enumerate(answer) if p.role == "question"]
    assert len(labels) == 2
    for n, start in enumerate(labels):
        end = labels[n + 1] if n + 1 < len(labels) else len(answer)
        cited = [p for p in answer[start + 1 : end] if p.citations and p.role in ("content", "local")]
        assert cited, f"question {n + 1} has no cited answer"
    assert SEED_IDS["001"] in {c.doc_id for c in hv_draft.citations}
    assert SEED_IDS["000"] not in {c.doc_id for c in hv_draft.citations}


def test_every_citation_quotes_the_stored_text_exactly(seeded_assistant, hv_draft: Draft) -> None:
    assert hv_draft.citations
    for c in hv_draft.citations:
        doc = seeded_assistant.store.get(c.doc_id)
        assert doc.text[c.start : c.end] == c.quote
    ids = {c.id for c in hv_draft.citations}
    for s in hv_draft.sections:
        for p in s.paragraphs:
            assert set(p.citations) <= ids
            assert {int(n) for n in re.findall(r"\[(\d+)\]", p.text)} <= ids
            if p.role == "content":
                assert p.citations, p.text


def test_no_skarpnack_fact_is_stated_as_hasselby_vallingbys(hv_draft: Draft) -> None:
    for s in hv_draft.sections:
        for p in s.paragraphs:
            unflagged = not any(f.kind == "att_bekrafta" for f in p.flags)
            if unflagged and p.role != "meta":
                assert not districts.find(p.text) or districts.find(p.text) == [HV], p.text


def test_local_facts_of_the_precedent_are_only_offered_for_confirmation(skarpnack_draft: Draft) -> None:
    assert SEED_IDS["000"] in {c.doc_id for c in skarpnack_draft.citations}
    local_markers = ("Vällingbyskolan", "stadsdelsområdet", "Hässelby", "Vällingby")
    seen_local = False
    for s in skarpnack_draft.sections:
        for p in s.paragraphs:
            if any(m in p.text for m in local_markers) and p.role != "meta":
                assert p.role == "local" and any(f.kind == "att_bekrafta" for f in p.flags), p.text
                assert p.text.startswith("Att bekräfta för Skarpnäck")
                seen_local = True
    assert seen_local


def test_decision_formula_placeholders_and_same_inquiry(hv_draft: Draft) -> None:
    formula = _section(hv_draft, "Förvaltningens förslag till beslut").paragraphs[0].text
    assert formula == "Hässelby-Vällingby stadsdelsnämnd godkänner förvaltningens tjänsteutlåtande som svar på skrivelsen."
    headings = [s.heading for s in hv_draft.sections]
    assert headings[:6] == [
        "Förvaltningens förslag till beslut",
        "Sammanfattning",
        "Bakgrund",
        "Ärendet",
        "Ärendets beredning",
        "Förvaltningens synpunkter och förslag",
    ]
    assert "Barnkonsekvensanalys" in headings  # the inquiry concerns pupils
    placeholders = [p for s in hv_draft.sections for p in s.paragraphs if p.role == "placeholder"]
    assert any("[DATUM]" in p.text for p in placeholders)
    assert all(any(f.kind == "placeholder" for f in p.flags) for p in placeholders)
    same = [p for p in _section(hv_draft, "Ärendets beredning").paragraphs if p.role == "meta"]
    assert same and "Skarpnäck" in same[0].text and same[0].citations


def test_old_social_services_act_references_are_flagged(hv_draft: Draft) -> None:
    law = [p for s in hv_draft.sections for p in s.paragraphs if re.search(r"kap\.?\s*\d+\s*§", p.text)]
    assert law
    assert all(any(f.kind == "outdated_law" for f in p.flags) for p in law)


def test_markdown_has_markers_sources_and_flags(hv_draft: Draft) -> None:
    md = to_markdown(hv_draft)
    assert "## Källor" in md and "[1]" in md
    assert "Skarpnäck" in md.split("## Källor")[1]
    assert "[DIARIENUMMER]" in md and "✎ Fyll i" in md


def test_streams_fragments_then_the_draft(seeded_assistant) -> None:
    items = list(
        seeded_assistant.stream_draft(seed_path("002").read_text(encoding="utf-8"), district=HV, exclude_doc_ids=[SEED_IDS["000"]])
    )
    assert isinstance(items[-1], Draft)
    assert len(items) > 2 and all(isinstance(i, str) for i in items[:-1])


def test_no_precedent_for_snow_clearing(seeded_assistant) -> None:
    draft = seeded_assistant.draft(SNOW, district="Farsta")
    assert draft.no_precedent
    assert draft.citations == []
    assert draft.nearest == []  # no list of unrelated documents: they answer something else
    assert any(f.kind == "no_precedent" for f in draft.flags)
    answers = _section(draft, "Förvaltningens synpunkter och förslag").paragraphs
    assert [p.role for p in answers] == ["question", "placeholder", "question", "placeholder"]
    assert "Inget prejudikat hittades" in to_markdown(draft)


def test_rewrites_district_self_references() -> None:
    assert districts.rewrite("Skarpnäcks stadsdelsnämnd beslutar.", "Skarpnäck", HV) == f"{HV} stadsdelsnämnd beslutar."
    assert districts.rewrite("Hässelby- Vällingby stadsdelsförvaltning", HV, "Skarpnäck") == "Skarpnäcks stadsdelsförvaltning"
    assert districts.rewrite("Skarpnäcks skolor", "Skarpnäck", "Farsta") == "Farstas skolor"
    assert adapt.adapt("Som svar anför Skarpnäcks stadsdelsförvaltning\nföljande.", "Skarpnäck", "Farsta") == (
        "Som svar anför Farsta stadsdelsförvaltning följande."
    )


@pytest.mark.parametrize(
    ("sentence", "local"),
    [
        ("I stadsdelsområdet finns två fältassistenter.", True),
        ("RSU-gruppen hör till Kvarnbackaskolan och är avsedd för elever i årskurs 4-6.", True),
        ("I Farsta finns ett skolsocialt team.", True),
        ("Förvaltningen har även ett omfattande förebyggande arbete.", True),
        ("Förvaltningen avser att återkomma till nämnden.", True),
        ("Arbetet påbörjades i december 2019 i samarbete med skolorna.", True),
        ("Socialtjänsten har rätt att inhämta uppgifter enligt 11 kap 2 § socialtjänstlagen.", False),
        ("Förvaltningen arbetar utifrån stadens gemensamma arbetsmodell för skolsociala team.", False),
        ("Socialtjänsten behöver samtycke för att lämna ut information till skolan.", False),
        ("Skarpnäcks stadsdelsnämnd godkänner tjänsteutlåtandet.", False),
    ],
)
def test_city_wide_or_local(sentence: str, local: bool) -> None:
    assert adapt.classify(sentence, "Skarpnäck").local is local


def test_old_sol_reference_depends_on_precedent_date() -> None:
    s = "Utredning inleds enligt 11 kap 1 § socialtjänstlagen."
    assert adapt.cites_old_sol(s, "2024-04-18")
    assert not adapt.cites_old_sol(s, "2025-09-01")
    assert not adapt.cites_old_sol("Samverkan sker enligt stadens riktlinjer.", "2024-04-18")


def test_cli_json_and_docx(seeded_assistant, tmp_path) -> None:
    import json
    import os
    import subprocess
    import sys

    out = tmp_path / "utkast.docx"
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(seeded_assistant.settings.data_dir)}
    cmd = [sys.executable, "-c", "from assistant.cli import main; main()", "draft", str(seed_path("002")),
           "--district", HV, "--exclude-doc", SEED_IDS["000"], "--json", "--docx", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["district"] == HV and data["no_precedent"] is False
    assert data["inquiry"]["kind"] == "skrivelse" and len(data["inquiry"]["questions"]) == 2
    assert {c["doc_id"] for c in data["citations"]} >= {SEED_IDS["001"]}
    assert all({"heading", "paragraphs"} <= set(s) for s in data["sections"])
    assert out.is_file() and out.stat().st_size > 0

    empty = subprocess.run(cmd[:3] + ["draft", "--text", " ", "--district", HV], capture_output=True, text=True, env=env)
    assert empty.returncode == 2 and "empty" in empty.stderr
