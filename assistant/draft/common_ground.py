"""The Bakgrund's common ground: what the other districts' answers state alike about the whole city.

Sentences that cite a law, name a city or national body or a city document, or give a city-wide
figure, and that another district's answer states too (in its own words, by paraphrase-close passage
content words, or at least by the same anchor); a name several districts use (a national agency's
acronym) counts as an anchor only with such a paraphrase. Quoted from the answers to this very
inquiry when there are any. Only city-wide sentences, by the draft's
:class:`~assistant.draft.localness.Classifier`, and none the answers already say. Its own module
because it reads the draft's whole context rather than one point's sentences, and has its own
calibration (``same_fact_overlap``, ``eval/calibrate_same_fact.py``).
"""

from __future__ import annotations

from typing import NamedTuple

from assistant import registry
from assistant.draft import adapt
from assistant.draft.paragraphs import Build, Writer
from assistant.draft.quotable import Candidate, by_document, leans_on_context, usable
from assistant.draft.sections import COMMON_GROUND_ROLES, standard_sections
from assistant.models import Inquiry, Paragraph
from assistant.settings import DraftingSettings
from assistant.text import mutual_overlap, overlap, sentences, squash, stems


NAME_PREFIX = "namn:"
"""The anchor of a name several districts' answers use; alone it admits a sentence only with the support
of another district's sentence that says the same (a shared name is weaker evidence than a law)."""


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
    thresholds: DraftingSettings,
    not_own: frozenset[tuple[str, int]] = frozenset(),
    same_inquiry: frozenset[str] = frozenset(),
) -> list[Paragraph]:
    """What the other districts' answers state alike about the whole city: sentences that cite a
    law, name a city or national body, a city document (programme, policy, ramavtal) or give a
    city-wide figure that another district's answer cites too. First those another district states
    in its own words (the two share such an anchor and their content words, :func:`same_facts`; the
    more districts, the earlier), then those that only share the anchor. City-wide sentences only,
    none that says what the answers, or a sentence chosen before, already say as the district's own
    (``not_own``: sentences quoted but not stated as its own, such as the precedents' stances).
    When other districts answered this very inquiry (``same_inquiry``, document ids), only their
    sentences are quoted: the context also holds answers on other subjects that answer one point, and
    their city-wide sentences (another topic's budget, another law) are not this answer's background;
    they still count as support."""
    classifier = writer.classifier
    answering = [d for d in classifier.context if registry.current_district(d.metadata.district) != registry.current_district(target)]
    cands: list[_Quotable] = []
    pool: list[tuple[str, str, set[str]]] = []  # (district, sentence, anchors): what the answers state, quotable or not
    shared_names = classifier.shared_names()
    quoted_from = same_inquiry & {d.doc_id for d in answering}
    for doc in answering:
        district = registry.current_district(doc.metadata.district) or doc.doc_id
        for sec, standard in standard_sections(doc):
            if sec.role not in COMMON_GROUND_ROLES:
                continue
            for sp in sentences(doc.text, sec.body_start, sec.end):
                text = squash(sp.text)
                # A name several districts use (a national agency's acronym, a national campaign) ties
                # a sentence to what is not one district's own, as a law or a city body does.
                city = adapt.city_anchors(text) | {NAME_PREFIX + n for n in adapt.names_in(text) & shared_names}
                anchors = city | adapt.figure_anchors(text)
                if anchors:
                    pool.append((district, text, anchors))
                if not city or (quoted_from and doc.doc_id not in quoted_from) or not usable(text, inquiry.text, thresholds.restatement_ratio) or leans_on_context(text) or adapt.OPINION.search(text):
                    continue
                cands.append(_Quotable(Candidate(doc, sp, standard, 0.0, overlap(inquiry.text, text)), text, anchors, district))
    districts_of: dict[str, set[str]] = {}
    for d, _, anchors in pool:
        for a in anchors:
            districts_of.setdefault(a, set()).add(d)
    shared = {a for a, ds in districts_of.items() if len(ds) >= 2}
    same = same_facts(thresholds.same_fact_overlap)
    support = {q.candidate.key: {d for d, t, theirs in pool if d != q.district and adapt.share_anchor(q.anchors, theirs) and same(q.text, t)} for q in cands}
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
        named_only = all(a.startswith(NAME_PREFIX) for a in q.anchors & shared)
        if not (support[c.key] or (q.anchors & shared and not named_only)) or c.key in used_keys or len(chosen) >= thresholds.max_common_ground or classifier.classify(c).local:
            continue
        if any(already_says(q.text, q.anchors, t, theirs, same) for t, theirs in stated):
            continue
        chosen.append(c)
        stated.append((q.text, q.anchors))
        used_keys.add(c.key)
    return [writer.city_paragraph(g, target, build) for g in by_document(chosen)]


def already_says(text: str, anchors: set[str], stated: str, stated_anchors: set[str], same) -> bool:
    """Whether a sentence already stated (``stated``) says what ``text`` says: the two share an
    anchor (:func:`~assistant.draft.adapt.share_anchor`), pass the same-fact test (``same``), and
    ``text`` gives no figure the stated one lacks. The same-fact test barely weighs one figure among
    many words: "Kommunfullmäktiges budget för 2024 gav nämnden en ram …" passes it against "Stadens
    budget för år 2024 … innebär … en pris- och lönekompensation på 2,4 procent", yet only the
    second gives the compensation."""
    figures = {a for a in anchors if a.startswith(adapt.FIGURE_PREFIX)}
    return adapt.share_anchor(anchors, stated_anchors) and figures <= stated_anchors and same(text, stated)


def same_facts(limit: float):
    """A test "do these two sentences state the same fact?", asked only of sentences that share a
    city anchor (:func:`~assistant.draft.adapt.share_anchor`): naming the same city body or law is
    not enough (one answer names stadsledningskontoret about a park investment, another about
    budget instructions); each must hold at least ``limit`` of the other's content stems
    (:func:`~assistant.text.mutual_overlap`, ``same_fact_overlap``). Content stems rather than
    passage vectors: ``eval/calibrate_same_fact.py`` found them as good out of topic, and they cost
    no embedding on the first draft after a restart."""
    cache: dict[str, set[str]] = {}

    def same(a: str, b: str) -> bool:
        for t in (a, b):
            if t not in cache:
                cache[t] = stems(t)
        return mutual_overlap(cache[a], cache[b]) >= limit

    return same
