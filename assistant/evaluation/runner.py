"""Runs a benchmark against the assistant (and optionally the baselines) and builds the report dict.

``run_benchmark`` drafts every case with every system, scores each draft (``metrics``), aggregates,
and adds the leave-one-out comparison with real answers (``leave_one_out``). The returned dict is
what ``report.json`` holds: ``{"metrics": {...}, "systems": {name: {"metrics": {...}}}, "cases":
[...], "leave_one_out": [...], ...}``; ``metrics`` and ``cases`` are those of the assistant itself.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.evaluation import metrics as M
from assistant.evaluation.benchmark import BenchmarkCase
from assistant.evaluation.judge import SupportJudge
from assistant.evaluation.similarity import Matcher
from assistant.models import Draft, SearchFilters

OURS = "assistent"
Progress = Callable[[int, int, str], None]


class DocumentNames:
    """Resolves what a benchmark writes (doc id, file name, file stem) to stored doc ids."""

    def __init__(self, store) -> None:
        self._ids: dict[str, str] = {}
        for doc in store.all():
            for name in (doc.doc_id, Path(doc.source).name, Path(doc.source).stem):
                self._ids.setdefault(name.casefold(), doc.doc_id)

    def resolve(self, names: Sequence[str]) -> tuple[list[str], list[str]]:
        """(resolved doc ids, names that match no stored document)."""
        found, unknown = [], []
        for n in names:
            doc_id = self._ids.get(n.strip().casefold()) or self._ids.get(Path(n.strip()).name.casefold())
            (found if doc_id else unknown).append(doc_id or n)
        return list(dict.fromkeys(found)), unknown


def _render(draft: Draft) -> str:
    from assistant.draft.render import to_markdown

    return to_markdown(draft)


def score_draft(
    draft: Draft,
    case: BenchmarkCase,
    *,
    store,
    matcher: Matcher,
    judge: SupportJudge,
    excluded: set[str],
    own_doc_ids: Sequence[str] = (),
) -> dict[str, Any]:
    """Every per-case measure of one draft (the parts of a case record that depend on the draft)."""
    answerable = not case.expect_refusal
    sentences = M.draft_sentences(draft)
    return {
        "city_wide": M.score_city_wide(case.city_wide_facts, draft, matcher) if answerable else [],
        "local_leaks": M.score_local_leaks(case.local_markers, draft),
        "has_local_gold": bool(case.local_markers),
        "own_history": M.score_own_history(own_doc_ids, draft),
        "positions": M.score_positions(case.positions, draft) if answerable else [],
        "refused": draft.no_precedent,
        "stated_sentences": len(sentences),
        "citations": M.score_citations(draft, store, excluded),
        "support": M.score_support(draft, judge),
        "key_points": M.score_claims(case.key_points, sentences, matcher) if answerable else [],
        "must_not": M.score_claims(case.must_not, M.draft_sentences(draft, own_only=True), matcher),
        "questions": M.score_questions(draft, matcher) if answerable else [],
        "structure": M.score_structure(draft) if answerable else None,
        "cited_documents": sorted({c.doc_id for c in draft.citations}),
        "flags": [f.kind for _, p in M.paragraphs(draft) for f in p.flags] + [f.kind for f in draft.flags],
        "draft_markdown": _render(draft),
    }


def _failed(case: BenchmarkCase, error: str) -> dict[str, Any]:
    """A case whose draft could not be made scores zero everywhere it applies."""
    return {
        "refused": None,
        "citations": {"total": 0, "valid": 0, "invalid": []},
        "support": {"sentences": 0, "supported": 0, "pairs": 0, "relevant_pairs": 0, "unsupported": []},
        "key_points": [{"text": k, "matched": False, "score": 0.0, "sentence": None} for k in case.key_points]
        if not case.expect_refusal
        else [],
        "must_not": [],
        "questions": [],
        "structure": {"score": 0.0, "missing": list(M.REQUIRED_SECTIONS), "headings": []}
        if not case.expect_refusal
        else None,
        "cited_documents": [],
        "city_wide": [{"fact": f.fact, "present": False, "how": "fel"} for f in case.city_wide_facts] if not case.expect_refusal else [],
        "local_leaks": [],
        "has_local_gold": bool(case.local_markers),
        "own_history": {"own": [], "cited": [], "ok": False} if case.own_documents else None,
        "positions": [{"att_sats": g.att_sats, "number": None, "proposed": None, "majority": sorted(g.majority), "agrees": False} for g in case.positions]
        if not case.expect_refusal
        else [],
        "flags": [],
        "draft_markdown": "",
        "error": error,
    }


def evaluate_case(
    system,
    case: BenchmarkCase,
    *,
    names: DocumentNames,
    matcher: Matcher,
    judge: SupportJudge,
    drafter: str,
    llm_judge=None,
) -> dict[str, Any]:
    """Draft one case with one system and score it (and have the LLM judge it, if given)."""
    excluded, unknown_excluded = names.resolve(case.exclude_documents)
    relevant, unknown_relevant = names.resolve(case.relevant_documents)
    own, unknown_own = names.resolve(case.own_documents)
    record: dict[str, Any] = {
        "id": case.id,
        "district": case.district,
        "kind": case.kind,
        "topic": case.topic,
        "case_type": case.case_type,
        "expect_refusal": case.expect_refusal,
        "error": None,
        "latency_s": None,
        "unknown_documents": unknown_excluded + unknown_relevant + unknown_own,
    }
    started = time.perf_counter()
    try:
        draft = system.draft(case.inquiry, district=case.district, drafter=drafter, exclude_doc_ids=excluded)
        record["latency_s"] = round(time.perf_counter() - started, 4)
        record.update(
            score_draft(draft, case, store=system.store, matcher=matcher, judge=judge, excluded=set(excluded), own_doc_ids=own)
        )
        if llm_judge is not None and not draft.no_precedent:
            try:
                record["llm_judge"] = llm_judge.judge(draft)
            except Exception as exc:  # an unreachable LLM loses the LLM figures, not the run
                record["llm_judge_error"] = f"{type(exc).__name__}: {exc}"
        queries = [*draft.inquiry.questions, *draft.inquiry.att_satser] or [draft.inquiry.text]
    except Exception as exc:  # a crashing case is a result, not the end of the run
        record.update(_failed(case, f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
        queries = [case.inquiry]
    ranked = rank_documents(system, queries, excluded)
    record["retrieval"] = {**M.score_retrieval(ranked, set(relevant)), "ranked": ranked, "relevant": relevant}
    return record


def rank_documents(system, queries: Sequence[str], excluded: Sequence[str], rrf_k: int = 60) -> list[str]:
    """Documents retrieved for an inquiry: each question (or att-sats; the whole text if it has none)
    is a query to ``precedents``, and the per-query document rankings are fused by reciprocal rank."""
    filters = SearchFilters(exclude_doc_ids=list(excluded))
    fused: dict[str, float] = {}
    for q in queries:
        for rank, p in enumerate(system.precedents(q, k=2 * M.RECALL_K, filters=filters), start=1):
            fused[p.doc_id] = fused.get(p.doc_id, 0.0) + 1.0 / (rrf_k + rank)
    return sorted(fused, key=lambda d: -fused[d])[: 2 * M.RECALL_K]


def run_benchmark(
    assistant,
    cases: Sequence[BenchmarkCase],
    *,
    drafter: str = "precedent",
    baselines: bool | Sequence[str] = False,
    leave_one_out: bool = True,
    llm_judge: bool = False,
    progress: Progress | None = None,
    benchmark: str | None = None,
) -> dict[str, Any]:
    """Evaluate ``cases`` with the assistant (and the baselines); return the report dict.

    ``llm_judge`` adds the optional LLM-judge layer for the assistant's own drafts when an LLM is
    configured; otherwise ``report["llm_judge"]`` says why it was skipped.
    """
    from assistant.evaluation.baselines import BASELINES, make_baseline
    from assistant.evaluation.leave_one_out import leave_one_out_cases, run_leave_one_out
    from assistant.evaluation.llm_judge import aggregate_llm, make_llm_judge

    names = DocumentNames(assistant.store)
    matcher = Matcher(assistant.embeddings)
    judge = SupportJudge(assistant.embeddings)
    wanted = list(BASELINES) if baselines is True else list(baselines or [])
    systems: dict[str, Any] = {OURS: assistant}
    loo = leave_one_out_cases(assistant) if leave_one_out else []
    llm, llm_status = make_llm_judge(assistant.settings) if llm_judge else (None, "inte begärd")
    total = (len(cases) + len(loo)) * (1 + len(wanted))
    done = 0

    def tick(label: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, label)

    results: dict[str, dict[str, Any]] = {}
    failed_systems: dict[str, str] = {}
    for name in [OURS, *wanted]:
        if name not in systems:
            if progress:
                progress(done, total, f"bygger baslinjen {name}")
            try:
                systems[name] = make_baseline(assistant, name)
            except Exception as exc:  # a baseline that cannot be built is reported, the others still run
                failed_systems[name] = f"{type(exc).__name__}: {exc}"
                done += len(cases) + len(loo)
                continue
        system = systems[name]
        if cases:  # latency is measured warm, as in the running app: one untimed draft loads the models
            try:
                system.draft(cases[0].inquiry, district=cases[0].district, drafter=drafter)
            except Exception:  # the timed run records the failure
                pass
        records = []
        for case in cases:
            records.append(
                evaluate_case(
                    system, case, names=names, matcher=matcher, judge=judge, drafter=drafter,
                    llm_judge=llm if name == OURS else None,
                )
            )
            tick(f"{name}: {case.id}")
        loo_rows = []
        for loo_case in loo:
            loo_rows.append(run_leave_one_out(system, loo_case, matcher=matcher, drafter=drafter))
            tick(f"{name}: leave-one-out {loo_case.target_doc_id}")
        results[name] = {"metrics": {**M.aggregate(records), **aggregate_llm(records)}, "cases": records, "leave_one_out": loo_rows}

    return {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "benchmark": benchmark,
        "drafter": drafter,
        "n_cases": len(cases),
        "llm_judge": llm_status or "körd",
        "metrics": results[OURS]["metrics"],
        "higher_is_better": M.HIGHER_IS_BETTER,
        "cases": results[OURS]["cases"],
        "leave_one_out": results[OURS]["leave_one_out"],
        "systems": {name: {"metrics": r["metrics"], "leave_one_out": r["leave_one_out"]} for name, r in results.items()},
        "system_cases": {name: r["cases"] for name, r in results.items() if name != OURS},
        "failed_systems": failed_systems,
        "unknown_documents": sorted({d for r in results[OURS]["cases"] for d in r["unknown_documents"]}),
        "local_fact_leaks": [
            {"case": r["id"], **leak} for r in results[OURS]["cases"] for leak in r.get("local_leaks") or []
        ],
    }
