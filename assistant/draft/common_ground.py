"""The Bakgrund's common ground: what the other districts' answers state alike about the whole city.

Sentences that cite a law, name a city or national body or a city document, or give a city-wide
figure, and that another district's answer states too (in its own words, by paraphrase-close passage
vectors, or at least by the same anchor). Only city-wide sentences, by the draft's
:class:`~assistant.draft.localness.Classifier`, and none the answers already say. Its own module
because it reads the draft's whole context rather than one point's sentences, and has its own
calibration (``same_fact_cosine``, ``eval/calibrate_same_fact.py``).
"""

from __future__ import annotations

from typing import NamedTuple

from assistant import registry
from assistant.draft import adapt, vectors
from assistant.draft.paragraphs import Build, Writer
from assistant.draft.quotable import Candidate, by_document, leans_on_context, usable
from assistant.draft.sections import COMMON_GROUND_ROLES, standard_sections
from assistant.models import Inquiry, Paragraph
from assistant.settings import DraftingSettings
from assistant.text import overlap, sentences, squash


class _Quotable(NamedTuple):
    """A sentence the Bakgrund may quote: its text, city anchors (figures included) and district."""

    candidate: Candidate
    text: str
    anchors: set[str]
    district: str


def common_ground(
    inquiry: Inquiry,
    used_keys: set[tuple[str, int]],
    target: str | None,
    build: Build,
    writer: Writer,
    embeddings,
    thresholds: DraftingSettings,
    not_own: frozenset[tuple[str, int]] = frozenset(),
) -> list[Paragraph]:
    """What the other districts' answers state alike about the whole city: sentences that cite a
    law, name a city or national body, a city document (programme, policy, ramavtal) or give a
    city-wide figure that another district's answer cites too. First those another district states
    in its own words (the two share such an anchor and are paraphrases, :func:`same_facts`; the
    more districts, the earlier), then those that only share the anchor. City-wide sentences only,
    none that says what the answers, or a sentence chosen before, already say as the district's own
    (``not_own``: sentences quoted but not stated as its own, such as the precedents' stances)."""
    classifier = writer.classifier
    answering = [d for d in classifier.context if registry.current_district(d.metadata.district) != registry.current_district(target)]
    cands: list[_Quotable] = []
    pool: list[tuple[str, str, set[str]]] = []  # (district, sentence, anchors): what the answers state, quotable or not
    for doc in answering:
        district = registry.current_district(doc.metadata.district) or doc.doc_id
        for sec, standard in standard_sections(doc):
            if sec.role not in COMMON_GROUND_ROLES:
                continue
            for sp in sentences(doc.text, sec.body_start, sec.end):
                text = squash(sp.text)
                city = adapt.city_anchors(text)
                anchors = city | adapt.figure_anchors(text)
                if anchors:
                    pool.append((district, text, anchors))
                if not city or not usable(text, inquiry.text, thresholds.restatement_ratio) or leans_on_context(text) or adapt.OPINION.search(text):
                    continue
                cands.append(_Quotable(Candidate(doc, sp, standard, 0.0, overlap(inquiry.text, text)), text, anchors, district))
    districts_of: dict[str, set[str]] = {}
    for d, _, anchors in pool:
        for a in anchors:
            districts_of.setdefault(a, set()).add(d)
    shared = {a for a, ds in districts_of.items() if len(ds) >= 2}
    # Only sentences of two districts that share an anchor are ever compared: embed just those (a
    # sentence is embedded at 15-25 a second here, and the first draft after a restart pays for each).
    compared = {q.text for q in cands}
    compared.update(t for d, t, theirs in pool if any(theirs & q.anchors and d != q.district for q in cands))
    same = same_facts(embeddings, sorted(compared), thresholds.same_fact_cosine)
    support = {q.candidate.key: {d for d, t, theirs in pool if d != q.district and q.anchors & theirs and same(q.text, t)} for q in cands}
    # Sentences already stated as the district's own (in the answers, or chosen here): a candidate
    # that states the same fact is left out. One only shown for confirmation, or quoted as a
    # precedent's stance, does not count.
    stated = [
        (q.text, q.anchors) for q in cands if q.candidate.key in used_keys and q.candidate.key not in not_own and not classifier.classify(q.candidate).local
    ]
    chosen: list[Candidate] = []
    ranked = sorted(cands, key=lambda q: (-len(support[q.candidate.key]), -len(q.anchors & shared), -q.candidate.lexical))
    for q in ranked:
        c = q.candidate
        if not (support[c.key] or q.anchors & shared) or c.key in used_keys or len(chosen) >= thresholds.max_common_ground or classifier.classify(c).local:
            continue
        if any(q.anchors & theirs and same(q.text, t) for t, theirs in stated):
            continue
        chosen.append(c)
        stated.append((q.text, q.anchors))
        used_keys.add(c.key)
    return [writer.city_paragraph(g, target, build) for g in by_document(chosen)]


def same_facts(embeddings, texts: list[str], limit: float):
    """A test "do these two sentences state the same fact?" over ``texts`` (embedded once, in one
    batch). Only asked of sentences that share a city anchor: naming the same city body or law is
    not enough (one answer names stadsledningskontoret about a park investment, another about
    budget instructions); their passage vectors must be paraphrase-close, ``limit``
    (``same_fact_cosine``)."""
    matrix = vectors.passages(embeddings, texts)
    row = {t: i for i, t in enumerate(texts)}

    def same(a: str, b: str) -> bool:
        if a not in row or b not in row:
            m = vectors.passages(embeddings, [a, b])
            return float(m[0] @ m[1]) >= limit
        return float(matrix[row[a]] @ matrix[row[b]]) >= limit

    return same
