"""Regression gate: the dev benchmark with the precedent drafter must stay above eval/thresholds.json.

One run of the whole benchmark (module fixture, on the session's seeded index) feeds every test here;
the report it writes is checked too (JSON, self-contained HTML, leave-one-out rows for seed 002).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation.benchmark import BENCHMARK_DIR, load_benchmark
from assistant.evaluation.report import compare_reports, load_report, write_report
from assistant.evaluation.runner import run_benchmark
from assistant.settings import REPO_ROOT
from tests.helpers import gate_failures

pytestmark = pytest.mark.slow

THRESHOLDS = REPO_ROOT / "eval" / "thresholds.json"
SEED_ANSWERS = {"000_53c14e9e9230afdf", "001_d439524d20ce7a6b"}


@pytest.fixture(scope="module")
def dev_run(seeded_assistant, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    cases = load_benchmark(BENCHMARK_DIR / "dev.jsonl")
    report = run_benchmark(seeded_assistant, cases, drafter="precedent", benchmark="dev.jsonl")
    out = tmp_path_factory.mktemp("eval-dev")
    write_report(report, out)
    print("\n" + json.dumps(report["metrics"], indent=1))
    return report, out


def test_metrics_meet_thresholds(dev_run) -> None:
    report, _ = dev_run
    limits = json.loads(THRESHOLDS.read_text(encoding="utf-8"))["metrics"]
    failures = gate_failures(report["metrics"], limits)
    assert not failures, "regression gate:\n" + "\n".join(failures)


def test_no_case_crashed_and_every_citation_is_exact(dev_run) -> None:
    report, _ = dev_run
    assert [c["id"] for c in report["cases"] if c["error"]] == []
    assert report["metrics"]["citation_validity"] == 1.0
    # No draft cites a document the case hid.
    for c in report["cases"]:
        hidden = {d.removesuffix(".txt") for d in load_case(c["id"]).exclude_documents}
        assert not hidden & set(c["cited_documents"]), c["id"]


def load_case(case_id: str):
    return next(c for c in load_benchmark(BENCHMARK_DIR / "dev.jsonl") if c.id == case_id)


def test_leave_one_out_on_seed_002(dev_run) -> None:
    report, _ = dev_run
    rows = {r["target"]: r for r in report["leave_one_out"]}
    assert SEED_ANSWERS <= set(rows)
    for doc_id in SEED_ANSWERS:
        row = rows[doc_id]
        assert row["error"] is None
        assert not row["cites_hidden_answer"]
        assert (SEED_ANSWERS - {doc_id}) & set(row["cited_documents"]), "the other district's answer is the precedent"
        assert row["reference_key_points"] >= 5 and row["key_point_coverage"] > 0
        assert 0 < row["rouge1_recall"] <= 1 and 0 < row["rougeL_f1"] <= row["rouge1_f1"] + 1e-9


def test_report_files_are_complete_and_self_contained(dev_run) -> None:
    report, out = dev_run
    saved = load_report(out)
    assert saved["metrics"] == json.loads(json.dumps(report["metrics"]))
    assert len(saved["cases"]) == len(load_benchmark(BENCHMARK_DIR / "dev.jsonl"))
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 3
    assert not re.search(r"""(src|href)=["']?https?://""", page), "the report must not load anything"
    for c in report["cases"]:
        assert c["id"] in page
    # A run compared with itself changed nothing.
    diff = compare_reports(saved, saved)
    assert diff["worse_cases"] == [] and not any(d["worse"] for d in diff["metrics"])


def test_document_names_resolve_file_names_and_ids(seeded_assistant) -> None:
    from assistant.evaluation.runner import DocumentNames

    found, unknown = DocumentNames(seeded_assistant.store).resolve(
        ["001_d439524d20ce7a6b.txt", "000_53c14e9e9230afdf", "knowledge/documents/004_7c0e77e509e4bfeb.txt", "saknas.txt"]
    )
    assert found == ["001_d439524d20ce7a6b", "000_53c14e9e9230afdf", "004_7c0e77e509e4bfeb"]
    assert unknown == ["saknas.txt"]
