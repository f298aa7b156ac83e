"""The optional LLM-judge layer: skipped cleanly without an LLM, mechanics with a real local model.

The local model is gemma-3-270m through llama.cpp's OpenAI-compatible server (the session fixtures
of tests/test_llm_drafter.py); it is a base model, so only the mechanics are checked, not its verdicts.
"""

from __future__ import annotations

import pytest
from tests.helpers import seed_path

from assistant.evaluation.benchmark import BenchmarkCase
from assistant.evaluation.llm_judge import MAX_CLAIMS, aggregate_llm, make_llm_judge
from assistant.evaluation.metrics import FACTUAL_ROLES, paragraphs
from assistant.evaluation.runner import run_benchmark
from assistant.evaluation.similarity import split_sentences
from assistant.settings import Settings

pytestmark = pytest.mark.slow


def test_skipped_cleanly_without_an_llm(seeded_assistant, tmp_path) -> None:
    judge, reason = make_llm_judge(Settings(data_dir=tmp_path, llm_provider="none"))
    assert judge is None and "ingen LLM" in reason
    case = BenchmarkCase(id="park", inquiry="Skrivelse om parkbelysning\n\nVilka parker får ny belysning?", district="Farsta", expect_refusal=True)
    report = run_benchmark(seeded_assistant, [case], llm_judge=True, leave_one_out=False)
    assert report["llm_judge"].startswith("hoppades över")
    assert not any(k.startswith("llm_") for k in report["metrics"])


def test_judges_a_real_draft_with_the_local_model(seeded_assistant, llama_url) -> None:  # noqa: F811
    settings = Settings(data_dir=seeded_assistant.settings.data_dir, llm_provider="openai", llm_base_url=llama_url, llm_max_tokens=6)
    judge, reason = make_llm_judge(settings)
    assert judge is not None, reason
    draft = seeded_assistant.draft(seed_path("002").read_text(encoding="utf-8"), district="Farsta")
    claims = sum(len(split_sentences(p.text)) for _, p in paragraphs(draft) if p.role in FACTUAL_ROLES and p.citations)
    out = judge.judge(draft)
    assert out["asked"] == min(MAX_CLAIMS, claims) + len(draft.inquiry.questions) > 0
    assert out["claims"] + out["questions"] + out["unparsed"] == out["asked"]
    for name, value in aggregate_llm([{"llm_judge": out}]).items():
        assert value is None or 0.0 <= value <= 1.0, name
