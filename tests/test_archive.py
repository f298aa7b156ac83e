"""The development archive (eval/archive): its size, its gold labels and its benchmarks.

Every gold marker is checked verbatim against its file, local markers are checked to belong to one
answer of the topic only, every document is checked to say it is synthetic (in its text and, after
parsing, in its metadata) and to parse to the district and date its gold gives, and the two
benchmark halves are checked to be exactly what the builder makes from the gold and the fixed split.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import registry
from assistant.evaluation.benchmark import load_benchmark
from assistant.ingest.pipeline import process_file
from assistant.settings import REPO_ROOT, Settings

ARCHIVE = REPO_ROOT / "eval" / "archive"
GOLD = ARCHIVE / "gold"
TOPICS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))}
OOS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((GOLD / "oos").glob("*.json"))}
SYNTHETIC_LINE = "SYNTETISKT DOKUMENT – skrivet för utvecklingsarkivet, inte en verklig handling."


def text(rel: str) -> str:
    return (ARCHIVE / rel).read_text(encoding="utf-8")


def topic_files(gold: dict) -> list[str]:
    files = [gold["inquiry"]["file"], *(a["file"] for a in gold["answers"])]
    if gold.get("follow_up"):
        files.append(gold["follow_up"]["file"])
    return files


def test_archive_size() -> None:
    assert len(TOPICS) >= 16
    assert all(len(g["answers"]) >= 3 for g in TOPICS.values())
    assert sum(bool(g.get("follow_up")) for g in TOPICS.values()) >= 16
    assert len(OOS) >= 12
    kinds = {g["inquiry"]["kind"] for g in TOPICS.values()}
    assert kinds == {"skrivelse", "motion", "remiss"}
    # Former districts answer too, so the registry's history is exercised.
    former = {a["district"] for g in TOPICS.values() for a in g["answers"]} - set(registry.districts())
    assert former >= {"Rinkeby-Kista", "Spånga-Tensta", "Hägersten-Liljeholmen", "Norrmalm", "Östermalm"}


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_gold_markers_are_verbatim_and_local_markers_belong_to_one_answer(slug: str) -> None:
    gold = TOPICS[slug]
    files = {f: text(f) for f in topic_files(gold)}
    inquiry = files[gold["inquiry"]["file"]]
    for q in gold["inquiry"]["questions"] + gold["inquiry"]["att_satser"]:
        assert q in inquiry, f"{slug}: question/att-sats not verbatim: {q!r}"
    if gold.get("follow_up"):
        follow = files[gold["follow_up"]["file"]]
        assert all(q in follow for q in gold["follow_up"]["questions"]), slug
        assert gold["follow_up"]["earlier_answer"] in {a["file"] for a in gold["answers"]}
        earlier = next(a for a in gold["answers"] if a["file"] == gold["follow_up"]["earlier_answer"])
        assert registry.current_district(earlier["district"]) == registry.current_district(gold["follow_up"]["district"])
    answer_files = {a["file"] for a in gold["answers"]}
    for fact in gold["city_wide_facts"]:
        assert len(fact["markers"]) >= 2, f"{slug}: city-wide fact in fewer than two answers: {fact['fact']}"
        for f, marker in fact["markers"].items():
            assert f in answer_files, f
            assert marker in files[f], f"{slug}: city-wide marker not in {f}: {marker!r}"
    n_att = len(gold["inquiry"]["att_satser"])
    for a in gold["answers"]:
        own = files[a["file"]]
        assert len(a["local_facts"]) >= 3, a["file"]
        for m in a["local_facts"]:
            assert m["marker"] in own, f"{a['file']}: local marker missing: {m['marker']!r}"
            others = [f for f in files if f != a["file"]]
            assert not [f for f in others if m["marker"] in files[f]], f"{a['file']}: local marker also elsewhere: {m['marker']!r}"
            assert not registry.find_districts(m["marker"]), f"marker names a district: {m['marker']!r}"
        assert sorted(p["att_sats"] for p in a["positions"]) == list(range(1, n_att + 1)), a["file"]
        for p in a["positions"]:
            assert p["position"] in ("delar", "delar delvis", "delar inte")
            assert p["marker"] in own, f"{a['file']}: position marker missing: {p['marker']!r}"
    if n_att:
        splits = [{a["district"]: p["position"] for a in gold["answers"] for p in a["positions"] if p["att_sats"] == i} for i in range(1, n_att + 1)]
        assert any(len(set(s.values())) > 1 for s in splits), f"{slug}: the districts agree on every att-sats"


@pytest.mark.parametrize("slug", sorted(TOPICS))
def test_documents_are_marked_synthetic_and_parse_to_their_gold(slug: str, tmp_path: Path) -> None:
    gold = TOPICS[slug]
    settings = Settings(data_dir=tmp_path)
    for f in topic_files(gold):
        assert text(f).startswith(SYNTHETIC_LINE + "\n"), f
    for a in gold["answers"]:
        doc = process_file(ARCHIVE / a["file"], settings)
        m = doc.metadata
        assert m.synthetic and not m.real_public_record, a["file"]
        assert m.district == a["district"], (a["file"], m.district)
        assert m.date == a["date"], (a["file"], m.date)
        assert m.kind in ("tjänsteutlåtande", "yttrande"), (a["file"], m.kind)
    inquiry = process_file(ARCHIVE / gold["inquiry"]["file"], settings)
    assert inquiry.metadata.synthetic


def test_out_of_scope_inquiries() -> None:
    for slug, gold in OOS.items():
        assert text(gold["file"]).startswith(SYNTHETIC_LINE + "\n"), slug
        assert gold["close_to"] is None or gold["close_to"] in TOPICS, slug
    assert sum(g["close_to"] is not None for g in OOS.values()) >= 6  # near misses in vocabulary


def test_archive_is_documented_as_synthetic() -> None:
    readme = (ARCHIVE / "README.md").read_text(encoding="utf-8")
    assert "SYNTETISK" in readme.upper() and "inte verkliga" in readme
    # knowledge/ holds the real seeds only.
    assert not list((REPO_ROOT / "knowledge" / "documents").glob("*__*.txt"))


def test_benchmarks_are_built_from_the_gold_and_the_fixed_split() -> None:
    run = subprocess.run([sys.executable, str(ARCHIVE / "build_benchmarks.py"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    split = json.loads((ARCHIVE / "split.json").read_text(encoding="utf-8"))
    for kind, names in (("topics", TOPICS), ("out_of_scope", OOS)):
        tune, held = set(split[kind]["tune"]), set(split[kind]["heldout"])
        assert not tune & held and tune | held == set(names)
        assert abs(len(tune) - len(held)) <= 1
    tune_cases = load_benchmark(REPO_ROOT / "eval" / "benchmarks" / "archive_tune.jsonl")
    held_cases = load_benchmark(REPO_ROOT / "eval" / "benchmarks" / "archive_heldout.jsonl")
    assert {c.topic for c in tune_cases if c.topic} == set(split["topics"]["tune"])
    assert {c.topic for c in held_cases if c.topic} == set(split["topics"]["heldout"])
    for c in tune_cases + held_cases:
        assert "SYNTETISKT" not in c.inquiry  # the inquiry as a district receives it
        if c.case_type == "new_district":
            answered = {registry.current_district(a["district"]) for a in TOPICS[c.topic]["answers"]}
            assert registry.current_district(c.district) not in answered
            assert c.city_wide_facts and c.local_markers
        if c.case_type == "follow_up":
            assert c.own_documents
            assert all(registry.current_district(m.district) != registry.current_district(c.district) for m in c.local_markers)
    assert sum(c.expect_refusal for c in held_cases) >= 6


@pytest.mark.slow
def test_archive_folder_ingests_through_the_normal_cli_marked_synthetic(tmp_path: Path) -> None:
    """``assistant ingest eval/archive/docs/<topic>``: like any folder, every document synthetic."""
    import os

    assistant_bin = Path(sys.executable).parent / "assistant"
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}
    folder = ARCHIVE / "docs" / "feriejobb"
    run = subprocess.run([str(assistant_bin), "ingest", str(folder)], capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    listed = subprocess.run([str(assistant_bin), "documents", "--json"], capture_output=True, text=True, env=env, timeout=120)
    docs = json.loads(listed.stdout)
    assert sorted(Path(d["source"]).name for d in docs) == sorted(p.name for p in folder.glob("*.txt"))
    assert all(d["synthetic"] and not d["real_public_record"] for d in docs)
    assert {d["district"] for d in docs if d["kind"] != "skrivelse"} == {a["district"] for a in TOPICS["feriejobb"]["answers"]}


def test_diarienummer_are_unique_per_district() -> None:
    """A diarienummer names one answer of a district (a follow-up finds its earlier answer by it) and
    one inquiry; independent writers once gave two districts' answers the same one."""
    import re
    from collections import Counter

    seen: Counter = Counter()
    for gold in TOPICS.values():
        for a in gold["answers"]:
            m = re.search(r"^Dnr:?\s*(\S.*)$", text(a["file"]), re.MULTILINE)
            if m:
                seen[(registry.current_district(a["district"]), m.group(1).strip())] += 1
        m = re.search(r"^Dnr:?\s*(\S.*)$", text(gold["inquiry"]["file"]), re.MULTILINE)
        if m and any(ch.isdigit() for ch in m.group(1)):
            seen[("inquiry", m.group(1).strip())] += 1
    assert not [k for k, n in seen.items() if n > 1]
