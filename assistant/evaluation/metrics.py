"""Per-case scoring of a draft against a benchmark case, and the aggregate metrics.

Each ``score_*`` function looks at one aspect of one draft and returns plain counts and details (so
the report can show *what* was missed); :func:`aggregate` turns the case records into the metric
table. Formulas are in ``eval/README.md``; the names here are the keys of ``report.json``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.evaluation.judge import SupportJudge, claim_text
from assistant.evaluation.similarity import Matcher, lexical_recall, split_sentences, strip_citation_marks
from assistant.models import Citation, Draft, Paragraph

RECALL_K = 5
RECALL_K_SMALL = 2  # on a small archive recall@5 is near 1 whatever the ranking: also report the top 2
REQUIRED_SECTIONS: tuple[str, ...] = (
    "Förvaltningens förslag till beslut",
    "Sammanfattning",
    "Ärendet",
    "Förvaltningens synpunkter och förslag",
)
FACTUAL_ROLES = ("content", "local")  # paragraphs that state facts (models.Paragraph.role)
RESTATING_ROLES = ("question", "inquiry")  # paragraphs that restate the inquiry, not answer it
NON_CLAIM_ROLES = ("placeholder", "formula")  # blanks for the officer and the decision wording state no facts
QUESTION_THRESHOLD = 0.5
RESTATEMENT = 0.6  # a paragraph holding this share of a question's words restates that question

# Metric name → whether higher is better (the gate, the comparison and the report use this).
HIGHER_IS_BETTER: dict[str, bool] = {
    f"precedent_recall@{RECALL_K_SMALL}": True,
    f"precedent_recall@{RECALL_K}": True,
    "precedent_mrr": True,
    "citation_validity": True,
    "citation_recall": True,
    "citation_precision": True,
    "key_point_coverage": True,
    "must_not_violations": False,
    "question_coverage": True,
    "structure_compliance": True,
    "refusal_accuracy": True,
    "latency_p50_s": False,
    "latency_p95_s": False,
    "errors": False,
    "sentences_per_draft": False,
    "refusal_precision": True,
    "refusal_recall": True,
    "city_wide_fact_recall": True,
    "local_fact_leaks": False,
    "own_history_cited": True,
    "position_agreement": True,
    "llm_faithfulness": True,
    "llm_answer_relevance": True,
    "llm_unparsed": False,
}


def _norm_heading(text: str) -> str:
    return re.sub(r"[^a-zåäöéü ]", "", text.casefold()).strip()


def paragraphs(draft: Draft) -> Iterable[tuple[str, Paragraph]]:
    for section in draft.sections:
        for p in section.paragraphs:
            yield section.heading, p


def is_confirmation(p: Paragraph) -> bool:
    """Other districts' words shown for the förvaltning to confirm or decide, not stated as its own:
    a local fact (role ``local`` / flag ``att_bekrafta``) or the precedents' positions quoted beside a
    proposed position (flag ``position``)."""
    return p.role == "local" or any(f.kind in ("att_bekrafta", "position") for f in p.flags)


def draft_sentences(draft: Draft, *, own_only: bool = False) -> list[str]:
    """Sentences the draft states, leaving out paragraphs that only restate the inquiry.

    ``own_only`` also leaves out facts shown for confirmation: what remains is what the draft
    asserts as the receiving district's own answer (the text ``must_not`` is checked against).
    """
    out: list[str] = []
    for _, p in paragraphs(draft):
        if p.role in RESTATING_ROLES or p.role in NON_CLAIM_ROLES or (own_only and is_confirmation(p)):
            continue
        out.extend(claim_text(s) for s in split_sentences(p.text))
    return [s for s in out if s]


def own_paragraph_texts(draft: Draft) -> list[str]:
    """Paragraphs the draft states as the receiving district's own (what ``own_only`` keeps)."""
    return [
        p.text
        for _, p in paragraphs(draft)
        if p.role not in RESTATING_ROLES and p.role not in NON_CLAIM_ROLES and not is_confirmation(p)
    ]


def _marker_norm(text: str) -> str:
    """Case and white space folded, citation marks and typographic quotes dropped: a verbatim marker
    still matches after the drafter wrapped, quoted or cited the sentence it lies in."""
    text = strip_citation_marks(text).replace("”", "").replace("“", "").replace('"', "")
    return re.sub(r"\s+", " ", text).strip().casefold()


# --- retrieval ------------------------------------------------------------------------------------
def score_retrieval(
    ranked_doc_ids: Sequence[str], relevant: set[str], k: int = RECALL_K, k_small: int = RECALL_K_SMALL
) -> dict[str, Any]:
    """Document-level recall@k (and @k_small) and reciprocal rank of the first relevant document."""
    if not relevant:
        return {"recall": None, "recall_small": None, "rr": None}
    top = list(dict.fromkeys(ranked_doc_ids))
    rr = next((1.0 / (i + 1) for i, d in enumerate(top) if d in relevant), 0.0)
    return {
        "recall": len(relevant & set(top[:k])) / len(relevant),
        "recall_small": len(relevant & set(top[:k_small])) / len(relevant),
        "rr": rr,
    }


# --- citations ------------------------------------------------------------------------------------
def score_citations(draft: Draft, store, excluded: set[str]) -> dict[str, Any]:
    """A citation is valid when its document exists, is not hidden, and its quote is the exact span."""
    invalid: list[dict[str, Any]] = []
    for c in draft.citations:
        doc = store.get(c.doc_id)
        reason = None
        if doc is None:
            reason = "dokumentet finns inte"
        elif c.doc_id in excluded:
            reason = "dokumentet var undantaget"
        elif not (0 <= c.start < c.end <= len(doc.text)) or doc.text[c.start : c.end] != c.quote:
            reason = "citatet stämmer inte med dokumentets text"
        if reason:
            invalid.append({"id": c.id, "doc_id": c.doc_id, "reason": reason})
    known = {c.id for c in draft.citations}
    dangling = sorted({n for _, p in paragraphs(draft) for n in p.citations if n not in known})
    invalid.extend({"id": n, "doc_id": None, "reason": "hänvisningen saknar källa"} for n in dangling)
    total = len(draft.citations) + len(dangling)
    return {"total": total, "valid": total - len(invalid), "invalid": invalid}


def score_support(draft: Draft, judge: SupportJudge) -> dict[str, Any]:
    """ALCE-style citation recall (cited sentences supported) and precision (citations that support)."""
    by_id: dict[int, Citation] = {c.id: c for c in draft.citations}
    sentences = supported = pairs = relevant_pairs = 0
    unsupported: list[str] = []
    for _, p in paragraphs(draft):
        cited = [by_id[n] for n in dict.fromkeys(p.citations) if n in by_id]
        if not cited or p.role not in FACTUAL_ROLES:
            continue
        claims = [c for c in (claim_text(s) for s in split_sentences(p.text)) if c]
        all_quotes = [c.quote for c in cited]
        ok = [judge.supports(s, all_quotes) for s in claims]
        sentences += len(claims)
        supported += sum(ok)
        unsupported.extend(s for s, good in zip(claims, ok) if not good)
        for c in cited:
            pairs += 1
            alone = any(judge.supports(s, [c.quote]) for s in claims)
            if alone:
                relevant_pairs += 1
                continue
            rest = [q.quote for q in cited if q.id != c.id]
            needed = rest and any(good and not judge.supports(s, rest) for s, good in zip(claims, ok))
            relevant_pairs += bool(needed)
    return {
        "sentences": sentences,
        "supported": supported,
        "pairs": pairs,
        "relevant_pairs": relevant_pairs,
        "unsupported": unsupported[:20],
    }


# --- content --------------------------------------------------------------------------------------
def score_claims(claims: Sequence[str], sentences: Sequence[str], matcher: Matcher) -> list[dict[str, Any]]:
    """For each claim: matched or not, its best score and the draft sentence that matched best."""
    out = []
    for claim in claims:
        hit, score, i = matcher.matches(claim, sentences)
        out.append({"text": claim, "matched": hit, "score": round(score, 3), "sentence": sentences[i] if i is not None else None})
    return out


def score_questions(draft: Draft, matcher: Matcher, threshold: float = QUESTION_THRESHOLD) -> list[dict[str, Any]]:
    """Is every question of the inquiry addressed with cited content?

    A question counts as answered when the draft restates it (a ``question`` paragraph holding most
    of its words) and follows it with at least one cited factual paragraph before the next question;
    for drafts without such blocks (free-form LLM output), when a cited factual paragraph matches the
    question (``Matcher`` score ≥ ``threshold``). Whether the content is *right* is what key-point
    coverage measures: neither stems nor e5 cosines separate answers from same-topic sentences.
    """
    blocks: list[tuple[str, list[Paragraph]]] = []  # (restated question, the paragraphs after it)
    for _, p in paragraphs(draft):
        if p.role == "question":
            blocks.append((claim_text(p.text), []))
        elif blocks:
            blocks[-1][1].append(p)
    factual = [p for _, p in paragraphs(draft) if p.citations and p.role in FACTUAL_ROLES]
    out = []
    for q in draft.inquiry.questions:
        answered, how = False, "saknas"
        for restated, after in blocks:
            if lexical_recall(q, restated) >= RESTATEMENT and any(p.citations and p.role in FACTUAL_ROLES for p in after):
                answered, how = True, "frågeblock med källa"
                break
        if not answered and factual:
            score, _ = matcher.best(q, [claim_text(p.text) for p in factual])
            if score >= threshold:
                answered, how = True, f"matchande stycke ({score:.2f})"
        out.append({"text": q, "answered": answered, "how": how})
    return out


def score_structure(draft: Draft, required: Sequence[str] = REQUIRED_SECTIONS) -> dict[str, Any]:
    """Share of the required sections present in the required order (longest common subsequence)."""
    have = [_norm_heading(s.heading) for s in draft.sections]
    want = [_norm_heading(r) for r in required]
    # LCS where a draft heading matches a required one if it starts with it.
    table = [[0] * (len(have) + 1) for _ in range(len(want) + 1)]
    for i, w in enumerate(want):
        for j, h in enumerate(have):
            table[i + 1][j + 1] = table[i][j] + 1 if h.startswith(w) else max(table[i][j + 1], table[i + 1][j])
    missing = [r for r, w in zip(required, want) if not any(h.startswith(w) for h in have)]
    return {"score": table[-1][-1] / len(want), "missing": missing, "headings": [s.heading for s in draft.sections]}


# --- archive gold labels (eval/archive) -----------------------------------------------------------
def score_city_wide(facts, draft: Draft, matcher: Matcher) -> list[dict[str, Any]]:
    """Is each of the topic's city-wide facts stated as the district's own (unflagged)?

    Stated when one of the fact's verbatim markers stands in an own paragraph, or (a reworded draft,
    e.g. the LLM drafter) when an own sentence matches the fact with the key-point matcher.
    """
    own = _marker_norm(" ".join(own_paragraph_texts(draft)))
    sentences = draft_sentences(draft, own_only=True)
    out = []
    for f in facts:
        marker = next((m for m in f.markers if _marker_norm(m) in own), None)
        if marker is not None:
            out.append({"fact": f.fact, "present": True, "how": f"markör ”{marker}”"})
            continue
        hit, score, i = matcher.matches(f.fact, sentences) if sentences else (False, 0.0, None)
        out.append({"fact": f.fact, "present": hit, "how": f"matchning {score:.2f}" + (f": {sentences[i]}" if hit and i is not None else "")})
    return out


def score_local_leaks(markers, draft: Draft) -> list[dict[str, Any]]:
    """Other districts' local markers found in paragraphs the draft states as its own (not flagged)."""
    leaks = []
    for p_text in own_paragraph_texts(draft):
        norm = _marker_norm(p_text)
        for m in markers:
            if _marker_norm(m.marker) in norm:
                leaks.append({"district": m.district, "document": m.document, "marker": m.marker, "paragraph": p_text[:300]})
    return leaks


def score_own_history(own_doc_ids: Sequence[str], draft: Draft) -> dict[str, Any] | None:
    """Does a follow-up's draft cite the district's own earlier answer?"""
    if not own_doc_ids:
        return None
    cited = sorted({c.doc_id for c in draft.citations} & set(own_doc_ids))
    return {"own": list(own_doc_ids), "cited": cited, "ok": bool(cited)}


def proposed_positions(draft: Draft) -> dict[int, str | None]:
    """Att-sats number → the position the draft proposes: the structured ``Draft.positions``; for a
    draft without them (free text), the stance of the first own sentence after the att-sats heading."""
    from assistant.draft.positions import stance

    if draft.positions:
        return {p.att_sats: p.proposed for p in draft.positions}
    out: dict[int, str | None] = {}
    current: int | None = None
    for _, p in paragraphs(draft):
        m = re.match(r"att-sats\s+(\d+)", p.text.strip(), re.IGNORECASE) if p.role == "question" else None
        if m:
            current = int(m.group(1))
            continue
        if current is None or current in out or p.role in RESTATING_ROLES or is_confirmation(p):
            continue
        found = next((st for st in (stance(x) for x in split_sentences(p.text)) if st), None)
        if found:
            out[current] = found
    return out


def score_positions(gold, draft: Draft) -> list[dict[str, Any]]:
    """Per gold att-sats: the draft's proposed position against the precedents' majority."""
    proposed = proposed_positions(draft)
    out = []
    for g in gold:
        number = None
        best = 0.0
        for i, a in enumerate(draft.inquiry.att_satser, start=1):
            r = lexical_recall(g.att_sats, a)
            if r > best:
                number, best = i, r
        position = proposed.get(number) if number is not None and best >= RESTATEMENT else None
        majority = sorted(g.majority)
        out.append({"att_sats": g.att_sats, "number": number, "proposed": position, "majority": majority, "agrees": position in g.majority})
    return out


# --- aggregate ------------------------------------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def aggregate(cases: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    """The metric table of one system from its case records (see ``eval/README.md``)."""
    answerable = [c for c in cases if not c["expect_refusal"]]
    sum_ = lambda key, sub, rows=cases: sum(c[key][sub] for c in rows if c.get(key))  # noqa: E731
    key_points = [c["key_points"] for c in answerable if c["key_points"]]
    must_not = [m for c in cases for m in c["must_not"]]
    questions = [q for c in answerable for q in c["questions"]]
    latencies = [c["latency_s"] for c in cases if c["latency_s"] is not None]
    return {
        f"precedent_recall@{RECALL_K_SMALL}": _mean(c["retrieval"]["recall_small"] for c in cases),
        f"precedent_recall@{RECALL_K}": _mean(c["retrieval"]["recall"] for c in cases),
        "precedent_mrr": _mean(c["retrieval"]["rr"] for c in cases),
        "citation_validity": _ratio(sum_("citations", "valid"), sum_("citations", "total")),
        "citation_recall": _ratio(sum_("support", "supported"), sum_("support", "sentences")),
        "citation_precision": _ratio(sum_("support", "relevant_pairs"), sum_("support", "pairs")),
        "key_point_coverage": _mean(sum(k["matched"] for k in kp) / len(kp) for kp in key_points),
        "must_not_violations": _ratio(sum(m["matched"] for m in must_not), len(must_not)),
        "question_coverage": _ratio(sum(q["answered"] for q in questions), len(questions)),
        "structure_compliance": _mean(c["structure"]["score"] for c in answerable if c.get("structure")),
        "refusal_accuracy": _mean(float(c["refused"] == c["expect_refusal"]) for c in cases),
        "latency_p50_s": percentile(latencies, 50),
        "latency_p95_s": percentile(latencies, 95),
        "errors": float(sum(c["error"] is not None for c in cases)),
        # Not gated: read beside key_point_coverage — coverage bought by pasting every precedent shows here.
        "sentences_per_draft": _mean(c.get("stated_sentences") for c in answerable if c["error"] is None),
        **aggregate_archive(cases),
    }


def aggregate_archive(cases: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    """The archive metrics (refusal precision/recall, city-wide facts, leaks, own history, positions)."""
    refused = [c for c in cases if c["refused"]]
    should = [c for c in cases if c["expect_refusal"]]
    facts = [f for c in cases for f in c.get("city_wide") or []]
    own = [c["own_history"] for c in cases if c.get("own_history")]
    positions = [p for c in cases for p in c.get("positions") or []]
    has_gold = any(c.get("city_wide") or c.get("own_history") or c.get("positions") or c.get("has_local_gold") for c in cases)
    return {
        "refusal_precision": _ratio(sum(c["expect_refusal"] for c in refused), len(refused)) if should else None,
        "refusal_recall": _ratio(sum(bool(c["refused"]) for c in should), len(should)),
        "city_wide_fact_recall": _ratio(sum(f["present"] for f in facts), len(facts)),
        "local_fact_leaks": float(sum(len(c.get("local_leaks") or []) for c in cases)) if has_gold else None,
        "own_history_cited": _ratio(sum(o["ok"] for o in own), len(own)),
        "position_agreement": _ratio(sum(p["agrees"] for p in positions), len(positions)),
    }
