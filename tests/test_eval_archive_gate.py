"""Regression gate on the held-out half of the development archive (eval/benchmarks/archive_heldout.jsonl).

The benchmark runs the way ``assistant eval run`` runs it: on its own data directory, indexed from the
archive it names (the seeds and eval/archive/docs), never the live knowledge base. A change that states
another district's local fact as the receiving district's own, stops citing a district's own earlier
answer, or answers an out-of-scope inquiry fails here. Limits: ``eval/thresholds.json`` →
``archive_heldout`` (set from the measured held-out figures; raise them when the drafter improves).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation.benchmark import BENCHMARK_DIR, load_benchmark
from assistant.evaluation.report import write_report
from assistant.evaluation.runner import run_benchmark
from assistant.evaluation.workspace import benchmark_assistant
from assistant.settings import REPO_ROOT, Settings
from tests.helpers import gate_failures

pytestmark = pytest.mark.slow

THRESHOLDS = REPO_ROOT / "eval" / "thresholds.json"


@pytest.fixture(scope="module")
def heldout_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path, Any]:
    cases = load_benchmark(BENCHMARK_DIR / "archive_heldout.jsonl")
    data = tmp_path_factory.mktemp("archive-gate")
    assistant, ingested = benchmark_assistant(Settings(data_dir=data / "live"), cases[0].archive)
    assert ingested.ok, ingested.failed
    embedded = {"computed": assistant.embeddings.computed, "reused": assistant.embeddings.reused}
    report = run_benchmark(assistant, cases, drafter="precedent", leave_one_out=False, benchmark="archive_heldout.jsonl")
    out = tmp_path_factory.mktemp("eval-archive")
    write_report(report, out)
    print("\n" + json.dumps(report["metrics"], indent=1))
    return report, data, embedded


def test_heldout_metrics_meet_thresholds(heldout_run) -> None:
    report, _, _ = heldout_run
    limits = json.loads(THRESHOLDS.read_text(encoding="utf-8"))["archive_heldout"]["metrics"]
    failures = gate_failures(report["metrics"], limits)
    assert not failures, "regression gate (held-out archive):\n" + "\n".join(failures)


def test_no_more_local_fact_leaks_and_own_history_cited(heldout_run) -> None:
    """Leaks at most the gate's limit (known and open in issue 10; the target is none). Only
    their count is reported: the held-out half is for measuring, its cases are not read to tune."""
    report, _, _ = heldout_run
    limit = json.loads(THRESHOLDS.read_text(encoding="utf-8"))["archive_heldout"]["metrics"]["local_fact_leaks"]["max"]
    assert len(report["local_fact_leaks"]) <= limit, f"{len(report['local_fact_leaks'])} local facts stated as the district's own (limit {limit})"
    follow_ups = [c for c in report["cases"] if c["case_type"] == "follow_up"]
    assert follow_ups and all(c["own_history"]["ok"] for c in follow_ups), [c["id"] for c in follow_ups if not c["own_history"]["ok"]]


def test_benchmark_ran_on_its_own_archive_not_the_live_data_dir(heldout_run) -> None:
    report, data, _ = heldout_run
    # The live data dir holds nothing but the benchmark's own folder: nothing was read from or
    # written to the live knowledge base.
    assert not (data / "live" / "documents").exists()
    assert (data / "live" / "benchmarks").is_dir()
    assert not report["unknown_documents"]
    assert report["n_cases"] == len(report["cases"]) >= 20


def test_the_archive_was_indexed_from_its_vector_pack(heldout_run) -> None:
    """Every passage vector of the archive came from eval/archive/vectors.sqlite: embedding the archive
    afresh takes eight minutes of the suite's fifteen. After editing the archive, run
    eval/archive/build_vectors.py. (Drafting embeds the inquiries' own sentences later; not counted.)"""
    _, _, embedded = heldout_run
    assert embedded["reused"] > 2000
    assert embedded["computed"] == 0, f"{embedded['computed']} passages embedded: run eval/archive/build_vectors.py"
