"""``assistant eval run|compare`` end to end, with the baselines, on the session's seeded data dir.

A two-case benchmark keeps it short: one answerable (seed 002 for Farsta), one to refuse.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import REPO_ROOT

pytestmark = pytest.mark.slow

ASSISTANT = Path(sys.executable).with_name("assistant")
SEED_002 = (REPO_ROOT / "knowledge" / "documents" / "002_e2fac3d16bc15df6.txt").read_text(encoding="utf-8")


def _run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([str(ASSISTANT), *args], capture_output=True, text=True, env=env, timeout=900, cwd=REPO_ROOT)


@pytest.fixture(scope="module")
def small_benchmark(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "small.jsonl"
    cases = [
        {
            "id": "rsu-farsta",
            "inquiry": SEED_002,
            "district": "Farsta",
            "relevant_documents": ["000_53c14e9e9230afdf.txt", "001_d439524d20ce7a6b"],
            "key_points": ["Förvaltningen arbetar utifrån Gemensam arbetsmodell för skolsociala team i Stockholms stad."],
            "must_not": ["I Farsta hör RSU-gruppen till Vällingbyskolan och är avsedd för mellanstadieelever."],
        },
        {
            "id": "snorojning",
            "inquiry": "Skrivelse om snöröjning\n\nHur prioriteras snöröjningen av cykelbanorna i stadsdelen?",
            "district": "Farsta",
            "expect_refusal": True,
        },
    ]
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases), encoding="utf-8")
    return path


def test_run_with_baselines_then_compare(seeded_assistant, small_benchmark: Path, tmp_path: Path) -> None:
    data_dir = seeded_assistant.settings.data_dir
    out = tmp_path / "run"
    done = _run(["eval", "run", str(small_benchmark), "--out", str(out), "--baselines", "--no-leave-one-out"], data_dir)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert set(report["systems"]) == {"assistent", "keyword", "vector", "langchain"}
    for name, system in report["systems"].items():
        m = system["metrics"]
        assert m["errors"] == 0, name
        assert m["citation_validity"] in (None, 1.0), name
        assert 0.0 <= m["precedent_recall@5"] <= 1.0, name
    ours = report["metrics"]
    assert ours["precedent_recall@5"] == 1.0 and ours["refusal_accuracy"] == 1.0
    assert {c["id"] for c in report["cases"]} == {"rsu-farsta", "snorojning"}
    assert (out / "report.html").stat().st_size > 10_000
    assert "precedent_recall@5" in done.stdout  # the table is printed

    same = _run(["eval", "compare", str(out), str(out / "report.json")], data_dir)
    assert same.returncode == 0, same.stderr
    assert "Inga fall blev sämre" in same.stdout


def test_bad_benchmark_is_refused_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "inquiry": "Hur?"}\n{"id": "y"\n', encoding="utf-8")
    done = _run(["eval", "run", str(bad), "--out", str(tmp_path / "o")], tmp_path / "data")
    assert done.returncode == 2
    assert "bad.jsonl: rad 2" in done.stderr
    assert not (tmp_path / "o").exists()
    missing = _run(["eval", "compare", str(tmp_path / "nope"), str(tmp_path / "nope2")], tmp_path / "data")
    assert missing.returncode == 2 and "rapporten finns inte" in missing.stderr
