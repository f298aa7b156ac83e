"""Benchmark format and the pure parts of the metrics (no model, fast)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.benchmark import BENCHMARK_DIR, BenchmarkError, load_benchmark
from assistant.evaluation.metrics import percentile, score_retrieval, score_structure
from assistant.evaluation.report import compare_reports
from assistant.models import Draft, DraftSection, Inquiry
from assistant.settings import REPO_ROOT

DEV = BENCHMARK_DIR / "dev.jsonl"
SEEDS = REPO_ROOT / "knowledge" / "documents"


def test_dev_benchmark_covers_the_required_kinds_of_case() -> None:
    cases = load_benchmark(DEV)
    assert len(cases) >= 30
    refusals = [c for c in cases if c.expect_refusal]
    assert len(refusals) >= 5 and all(not c.key_points and not c.relevant_documents for c in refusals)
    answerable = [c for c in cases if not c.expect_refusal]
    assert all(c.key_points and c.relevant_documents for c in answerable)
    # OCR-damaged inquiries: the seeds' damage patterns (é for ä, "1" for the word i).
    assert sum(" 1 " in c.inquiry or "é" in c.inquiry for c in cases) >= 4
    assert len({c.district for c in cases}) >= 10
    # Leave-one-out within the benchmark: a district's own answer hidden.
    assert any("000_53c14e9e9230afdf.txt" in c.exclude_documents for c in cases)
    # Every referenced document is a bundled seed.
    seed_names = {p.name for p in SEEDS.glob("*.txt")}
    for c in cases:
        assert set(c.relevant_documents + c.exclude_documents) <= seed_names, c.id
        assert not set(c.relevant_documents) & set(c.exclude_documents), c.id


def test_bad_lines_name_file_and_line(tmp_path: Path) -> None:
    good = {"id": "a", "inquiry": "Hur arbetar ni?", "district": "Farsta", "note": "extra fields are ignored"}
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps(good) + "\n\n# comment\n{not json\n", encoding="utf-8")
    with pytest.raises(BenchmarkError, match=r"b\.jsonl: rad 4: ogiltig JSON"):
        load_benchmark(path)
    path.write_text(json.dumps(good) + "\n" + json.dumps({"id": "b"}) + "\n", encoding="utf-8")
    with pytest.raises(BenchmarkError, match=r"rad 2: inquiry"):
        load_benchmark(path)
    path.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    with pytest.raises(BenchmarkError, match="två gånger"):
        load_benchmark(path)
    with pytest.raises(BenchmarkError, match="finns inte"):
        load_benchmark(tmp_path / "missing.jsonl")
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    (case,) = load_benchmark(path)
    assert case.district == "Farsta" and case.expect_refusal is False and not hasattr(case, "note")


def test_retrieval_scores() -> None:
    assert score_retrieval(["x", "a", "y", "b"], {"a", "b"}, k=3, k_small=1) == {"recall": 0.5, "recall_small": 0.0, "rr": 0.5}
    assert score_retrieval(["a", "b"], {"a", "b"}, k=5, k_small=1)["recall_small"] == 0.5
    assert score_retrieval(["x"], {"a"})["recall"] == 0.0
    assert score_retrieval(["x"], set()) == {"recall": None, "recall_small": None, "rr": None}


def test_structure_counts_required_sections_in_order() -> None:
    def draft(*headings: str) -> Draft:
        return Draft(district="Farsta", inquiry=Inquiry(text="x"), sections=[DraftSection(heading=h) for h in headings], citations=[])

    full = draft("Förvaltningens förslag till beslut", "Sammanfattning", "Bakgrund", "Ärendet", "Förvaltningens synpunkter och förslag")
    assert score_structure(full)["score"] == 1.0
    swapped = draft("Sammanfattning", "Förvaltningens förslag till beslut", "Ärendet", "Förvaltningens synpunkter och förslag")
    assert score_structure(swapped)["score"] == 0.75
    missing = score_structure(draft("Sammanfattning", "Ärendet"))
    assert missing["score"] == 0.5 and "Förvaltningens förslag till beslut" in missing["missing"]


def test_percentile_nearest_rank() -> None:
    assert percentile([3.0, 1.0, 2.0, 4.0], 50) == 2.0
    assert percentile([1.0] * 19 + [9.0], 95) == 1.0
    assert percentile([1.0] * 18 + [9.0, 9.0], 95) == 9.0
    assert percentile([], 50) is None


def test_compare_reports_flags_worse_metrics_and_cases() -> None:
    case = {
        "id": "c1",
        "expect_refusal": False,
        "refused": False,
        "key_points": [{"text": "k1", "matched": True}, {"text": "k2", "matched": True}],
        "must_not": [{"text": "m1", "matched": False}],
        "retrieval": {"rr": 1.0},
    }
    worse = {**case, "key_points": [{"text": "k1", "matched": True}, {"text": "k2", "matched": False}], "must_not": [{"text": "m1", "matched": True}]}
    a = {"metrics": {"key_point_coverage": 1.0, "latency_p50_s": 1.0}, "cases": [case]}
    b = {"metrics": {"key_point_coverage": 0.5, "latency_p50_s": 0.5}, "cases": [worse]}
    diff = compare_reports(a, b)
    by_name = {d["metric"]: d for d in diff["metrics"]}
    assert by_name["key_point_coverage"]["worse"] and by_name["key_point_coverage"]["delta"] == -0.5
    assert not by_name["latency_p50_s"]["worse"]  # faster is better
    (c,) = diff["worse_cases"]
    assert "k2" in c["reasons"][0] and "m1" in c["reasons"][1]
    assert compare_reports(a, a)["worse_cases"] == []


def test_leave_one_out_reference_is_read_by_section_role() -> None:
    """The real answer's synopsis includes the sub-sections under Förvaltningens synpunkter och förslag,
    and its restated inquiry is Ärendet only, not Ärendets beredning (roles, not heading prefixes)."""
    from assistant.evaluation.leave_one_out import RESTATED_INQUIRY_ROLES, _section_text, reference_key_points
    from assistant.ingest.parser import parse
    from assistant.models import ParsedDocument

    text = (
        "Tjänsteutlåtande\n\nSammanfattning\n\nFörvaltningen föreslår att nämnden besvarar skrivelsen med detta utlåtande om parkbänkarna.\n\n"
        "Ärendet\n\nSkrivelsen frågar hur parkbänkarna i området sköts och hur ofta de ses över.\n\n"
        "Ärendets beredning\n\nÄrendet har beretts inom avdelningen för stadsmiljö tillsammans med parkenheten.\n\n"
        "Förvaltningens synpunkter och förslag\n\nFörvaltningen ser över samtliga parkbänkar varje vår innan säsongen börjar.\n\n"
        "Underhåll under säsongen\n\nTrasiga parkbänkar lagas inom två veckor efter att felet har anmälts i e-tjänsten.\n"
    )
    meta, sections = parse(text)
    doc = ParsedDocument(doc_id="t", source="t.txt", content_hash="0", metadata=meta, sections=sections, text=text)
    points = " ".join(reference_key_points(doc))
    assert "lagas inom två veckor" in points and "varje vår" in points
    restated = _section_text(doc, RESTATED_INQUIRY_ROLES)
    assert "hur parkbänkarna" in restated and "beretts" not in restated
