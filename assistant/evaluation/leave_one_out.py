"""Leave-one-out against real answers: hide a district's own answer, draft it, compare.

When several districts answered the same inquiry (``retrieve.same_inquiry.inquiry_groups``), each of
those answers is a reference nobody had to write: draft the answer for that district with its own
answer hidden (``exclude_doc_ids``) and measure how close the draft comes to what the district
actually wrote:

* key-point coverage: the reference's key points are the sentences of its synopsis sections (the
  parser's roles ``summary`` and ``answer``: *Sammanfattning*, *Förvaltningens synpunkter och förslag*
  and the sub-sections under it), matched with the same
  :class:`~assistant.evaluation.similarity.Matcher` as the benchmark key points;
* ROUGE-1 recall / F1 and ROUGE-L F1 on Swedish stems between the draft and those sections.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from assistant.evaluation import metrics as M
from assistant.evaluation.similarity import Matcher, split_sentences
from assistant.models import ParsedDocument

ANSWER_KINDS = ("tjänsteutlåtande", "yttrande")
INQUIRY_KINDS = ("skrivelse", "motion", "remiss")
# Section roles, decided once by the parser (ingest.headings.section_role). By heading name the
# synopsis missed the answer's sub-sections, and "ärendet" also matched "Ärendets beredning".
SYNOPSIS_ROLES = ("summary", "answer")
RESTATED_INQUIRY_ROLES = ("inquiry",)
MIN_KEY_POINT_STEMS = 4  # shorter synopsis sentences are headings or formulae, not facts


@dataclass(frozen=True)
class LeaveOneOutCase:
    target_doc_id: str
    district: str | None
    inquiry: str
    inquiry_source: str  # doc id of the inquiry, or "<target>#ärendet" when the answer's restatement is used
    group: str
    others: tuple[str, ...]


def _section_text(doc: ParsedDocument, roles: tuple[str, ...]) -> str:
    parts = [doc.text[s.body_start : s.end] for s in doc.sections if s.role in roles]
    return "\n\n".join(p.strip() for p in parts if p.strip())


def leave_one_out_cases(assistant) -> list[LeaveOneOutCase]:
    """One case per answer in every group of same-inquiry documents with two answers or more."""
    groups: dict[str, list[ParsedDocument]] = {}
    docs = {d.doc_id: d for d in assistant.store.all()}
    for doc_id, group in assistant.retriever.inquiry_groups().items():
        if group and doc_id in docs:
            groups.setdefault(group, []).append(docs[doc_id])
    cases: list[LeaveOneOutCase] = []
    for group, members in sorted(groups.items()):
        answers = [d for d in members if d.metadata.kind in ANSWER_KINDS]
        inquiries = [d for d in members if d.metadata.kind in INQUIRY_KINDS]
        if len(answers) < 2:
            continue
        for target in sorted(answers, key=lambda d: d.doc_id):
            if inquiries:
                text, source = inquiries[0].text, inquiries[0].doc_id
            else:
                text, source = _section_text(target, RESTATED_INQUIRY_ROLES), f"{target.doc_id}#ärendet"
            if not text.strip():
                continue
            cases.append(
                LeaveOneOutCase(
                    target_doc_id=target.doc_id,
                    district=target.metadata.district,
                    inquiry=text,
                    inquiry_source=source,
                    group=group,
                    others=tuple(d.doc_id for d in answers if d.doc_id != target.doc_id),
                )
            )
    return cases


def _stems_sequence(text: str) -> list[str]:
    from assistant.index.keyword import analyze

    return [t for t in analyze(text) if len(t) > 1]


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge(candidate: str, reference: str) -> dict[str, float]:
    """ROUGE-1 recall/F1 and ROUGE-L F1 on stemmed Swedish tokens."""
    cand, ref = _stems_sequence(candidate), _stems_sequence(reference)
    if not cand or not ref:
        return {"rouge1_recall": 0.0, "rouge1_f1": 0.0, "rougeL_f1": 0.0}
    from collections import Counter

    overlap = sum((Counter(cand) & Counter(ref)).values())
    r1_r, r1_p = overlap / len(ref), overlap / len(cand)
    lcs = _lcs(cand, ref)
    l_r, l_p = lcs / len(ref), lcs / len(cand)
    f = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0  # noqa: E731
    return {"rouge1_recall": r1_r, "rouge1_f1": f(r1_p, r1_r), "rougeL_f1": f(l_p, l_r)}


def reference_key_points(doc: ParsedDocument) -> list[str]:
    """The real answer's synopsis sentences that state something (long enough to be a fact)."""
    text = _section_text(doc, SYNOPSIS_ROLES)
    sentences = [re.sub(r"\s+", " ", s) for s in split_sentences(text)]
    return [s for s in sentences if len(_stems_sequence(s)) >= MIN_KEY_POINT_STEMS]


def run_leave_one_out(system, case: LeaveOneOutCase, *, matcher: Matcher, drafter: str) -> dict[str, Any]:
    """Draft ``case`` with the target answer hidden and compare with the real answer."""
    target = system.store.get(case.target_doc_id)
    key_points = reference_key_points(target)
    row: dict[str, Any] = {
        "target": case.target_doc_id,
        "district": case.district,
        "inquiry_source": case.inquiry_source,
        "other_answers": list(case.others),
        "reference_key_points": len(key_points),
    }
    started = time.perf_counter()
    try:
        draft = system.draft(case.inquiry, district=case.district, drafter=drafter, exclude_doc_ids=[case.target_doc_id])
    except Exception as exc:
        row.update({"error": f"{type(exc).__name__}: {exc}", "key_point_coverage": 0.0, "rouge1_recall": 0.0, "rouge1_f1": 0.0, "rougeL_f1": 0.0})
        return row
    row["latency_s"] = round(time.perf_counter() - started, 4)
    sentences = M.draft_sentences(draft)
    matched = M.score_claims(key_points, sentences, matcher)
    row["key_point_coverage"] = sum(m["matched"] for m in matched) / len(matched) if matched else None
    row["key_points"] = matched
    row.update(rouge("\n".join(sentences), _section_text(target, SYNOPSIS_ROLES)))
    row["cites_hidden_answer"] = any(c.doc_id == case.target_doc_id for c in draft.citations)
    row["cited_documents"] = sorted({c.doc_id for c in draft.citations})
    row["error"] = None
    return row
