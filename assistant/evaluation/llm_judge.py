"""Optional LLM-judge layer (RAGAS-style), used only when an LLM is configured.

Two judgements per draft, with Swedish prompts in ``prompts/``:

* ``llm_faithfulness`` — for up to ``MAX_CLAIMS`` sentences of cited factual paragraphs, the model is
  asked whether the cited quotes support the sentence (``eval_faithfulness.md``, answer JA/NEJ);
  value = JA / parsed answers;
* ``llm_answer_relevance`` — for each question, the draft's factual paragraphs are shown with the
  question (``eval_answer_relevance.md``, answer 1-5); value = mean grade / 5;
* ``llm_unparsed`` — share of answers that were neither (a small model often rambles).

Without an LLM (``llm_provider = none``) the layer is skipped and the report says so; no figure is
invented. It complements the embedding judge, it does not replace it: the model may be weak.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.evaluation.judge import claim_text
from assistant.evaluation.metrics import FACTUAL_ROLES, paragraphs
from assistant.evaluation.similarity import split_sentences
from assistant.models import Draft
from assistant.resources import load_prompt
from assistant.settings import Settings

MAX_CLAIMS = 6
MAX_ANSWER_CHARS = 3000
_YES_NO = re.compile(r"\b(ja|nej)\b", re.IGNORECASE)
_GRADE = re.compile(r"\b([1-5])\b")


class LLMJudge:
    def __init__(self, chat_model, settings: Settings | None = None) -> None:
        self.model = chat_model
        self._faithfulness = load_prompt("eval_faithfulness.md", settings)
        self._relevance = load_prompt("eval_answer_relevance.md", settings)

    def _ask(self, prompt: str) -> str:
        reply = self.model.invoke(prompt)
        return str(getattr(reply, "content", reply))

    def judge(self, draft: Draft) -> dict[str, Any]:
        """Raw counts for one draft (aggregated by :func:`aggregate_llm`)."""
        by_id = {c.id: c for c in draft.citations}
        claims: list[tuple[str, str]] = []
        answers: list[str] = []
        for _, p in paragraphs(draft):
            if p.role not in FACTUAL_ROLES or not p.citations:
                continue
            answers.append(claim_text(p.text))
            evidence = "\n".join(by_id[n].quote for n in p.citations if n in by_id)
            claims.extend((claim_text(s), evidence) for s in split_sentences(p.text))
        out: dict[str, Any] = {"claims": 0, "supported": 0, "questions": 0, "grade_sum": 0, "unparsed": 0, "asked": 0}
        for claim, evidence in claims[:MAX_CLAIMS]:
            if m := self._verdict(self._faithfulness.format(evidence=evidence, claim=claim), _YES_NO, out):
                out["claims"] += 1
                out["supported"] += m.group(1).lower() == "ja"
        answer = "\n".join(answers)[:MAX_ANSWER_CHARS]
        for q in draft.inquiry.questions or draft.inquiry.att_satser:
            if m := self._verdict(self._relevance.format(question=q, answer=answer or "(inget svar)"), _GRADE, out):
                out["questions"] += 1
                out["grade_sum"] += int(m.group(1))
        return out

    def _verdict(self, prompt: str, pattern: re.Pattern[str], out: dict[str, Any]) -> re.Match[str] | None:
        """Ask, and read the verdict with ``pattern``; counts the question and, if unreadable, the miss."""
        reply = self._ask(prompt)
        out["asked"] += 1
        m = pattern.search(reply)
        if m is None:
            out["unparsed"] += 1
        return m


def make_llm_judge(settings: Settings) -> tuple[LLMJudge | None, str | None]:
    """The judge, or ``(None, reason)`` when no LLM is configured or it cannot be built."""
    if settings.llm_provider == "none":
        return None, "hoppades över: ingen LLM är konfigurerad (ASSISTANT_LLM_PROVIDER=none)"
    from assistant.errors import ConfigurationError
    from assistant.llm import make_chat_model

    try:
        return LLMJudge(make_chat_model(settings), settings), None
    except ConfigurationError as exc:
        return None, f"hoppades över: {exc}"


def aggregate_llm(records: list[dict[str, Any]]) -> dict[str, float | None]:
    judged = [r["llm_judge"] for r in records if r.get("llm_judge")]
    if not judged:
        return {}
    claims = sum(j["claims"] for j in judged)
    questions = sum(j["questions"] for j in judged)
    asked = sum(j["asked"] for j in judged)
    return {
        "llm_faithfulness": sum(j["supported"] for j in judged) / claims if claims else None,
        "llm_answer_relevance": sum(j["grade_sum"] for j in judged) / (5 * questions) if questions else None,
        "llm_unparsed": sum(j["unparsed"] for j in judged) / asked if asked else None,
    }
