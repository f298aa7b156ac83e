"""Documents about the same inquiry, across districts.

The city often sends one skrivelse or motion to every district, and each district answers it. Those
answers restate the inquiry (its "Ärendet"/"Bakgrund" section and its questions), with the district's
own name swapped in. Finding them lets the drafter say "Skarpnäck och Hässelby-Vällingby har besvarat
samma skrivelse" and weigh their answers highest.

Two documents are grouped when their *inquiry text* (the whole text of an inquiry; the restating
sections and the questions of an answer) is near-identical after district names are neutralised:

* lexically: containment of diacritic-folded character 5-grams, which tolerates OCR damage
  ("socialtjdnsten") and hard line breaks, but not a mere shared topic;
* semantically: cosine similarity of the inquiry texts' embeddings, used to require a little less
  lexical overlap when the meaning is clearly the same (a paraphrased restatement).

Pairs above the thresholds are joined transitively (union-find), so an inquiry and all its answers
form one group. Documents with no partner get no group.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from assistant.models import ParsedDocument
from assistant.settings import RetrievalSettings, get_settings
from assistant.text import fold_loose, neutralise_districts

INQUIRY_KINDS = {"skrivelse", "motion", "remiss"}
RESTATING_ROLES = frozenset({"inquiry", "background"})
"""The sections (``Section.role``) of an answer that restate its inquiry ("Ärendet", "Bakgrund"); not
"Ärendets beredning", which says how the district prepared its answer."""

# The thresholds (containment, cosine, shortest text, exact comparison up to how many documents,
# candidate sampling, boilerplate) are the retrieval settings, ``RetrievalSettings.same_inquiry_*``,
# with how they were set. What an inquiry text is (the lengths below) is not a setting: it is computed
# when a document is indexed and kept in its feature record (``index.archive_features``), so a changed
# value would reach only documents indexed after it; changing one needs a ``FEATURES_VERSION`` bump.
_MAX_INQUIRY_CHARS = 4000
_OPENING_CHARS = 1500  # an answer with neither restating sections nor questions: its opening
_MIN_QUESTION_CHARS = 30  # a shorter "…?" is not a question the inquiry puts
_QUESTION = re.compile(r"[^.?!\n]*(?:\n(?!\s*\n)[^.?!\n]*)*\?")


def inquiry_text(doc: ParsedDocument) -> str:
    """The part of ``doc`` that states the inquiry it is about.

    An inquiry is its own text. An answer's inquiry text is its restating sections ("Ärendet",
    "Bakgrund", ...) plus every question it quotes; failing those, its opening.
    """
    text = doc.text
    if doc.metadata.kind in INQUIRY_KINDS:
        return text[:_MAX_INQUIRY_CHARS]
    parts: list[str] = []
    for s in doc.sections:
        if s.role in RESTATING_ROLES:
            parts.append(text[s.body_start : s.end])
    restated = "\n".join(parts)
    questions = [
        q.strip() for q in _QUESTION.findall(text) if len(q.strip()) > _MIN_QUESTION_CHARS and q.strip() not in restated
    ]
    parts.extend(questions)
    joined = "\n".join(p for p in parts if p.strip())
    return (joined or text[:_OPENING_CHARS])[:_MAX_INQUIRY_CHARS]


def normalise(text: str) -> str:
    """Lower case, diacritics folded, punctuation and whitespace collapsed (district names: see
    :func:`assistant.text.neutralise_districts`, applied first)."""
    text = re.sub(r"[^\w?]+", " ", fold_loose(text))
    return re.sub(r"\s+", " ", text).strip()


def shingles(text: str, n: int = 5) -> frozenset[int]:
    """Hashed character n-grams of a normalised text. CRC-32, not ``hash()``: Python salts string
    hashes per process, and the candidate pairs of a large archive are sampled by hash value, so the
    groups (and the drafts that read them) must not depend on which process computed them."""
    return frozenset(zlib.crc32(text[i : i + n].encode("utf-8")) for i in range(max(0, len(text) - n + 1)))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set found in the larger: a restatement is contained in its source."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def inquiry_groups(
    store: Any,
    embeddings: Any | None = None,
    doc_ids: Iterable[str] | None = None,
    thresholds: RetrievalSettings | None = None,
) -> dict[str, str]:
    """doc_id → group id for documents that share an inquiry with at least one other document.

    ``store`` is a :class:`~assistant.ingest.store.DocumentStore` (``get``/``all``); ``embeddings``
    an :class:`~assistant.index.embeddings.ArrayEmbeddings` (without it only the lexical test is
    used). The group id is stable: derived from the group's sorted doc ids. ``thresholds``: the
    retrieval settings (default: the process-wide ones).
    """
    if doc_ids is None:
        docs = list(store.all())
    else:
        docs = [d for d in (store.get(i) for i in doc_ids) if d is not None]
    return group_documents(docs, embeddings, thresholds)


def group_documents(docs: list[ParsedDocument], embeddings: Any | None = None, thresholds: RetrievalSettings | None = None) -> dict[str, str]:
    """:func:`inquiry_groups` on documents already loaded."""
    features = {d.doc_id: _features(d)[0] for d in docs}

    def vectors(needed: list[str]) -> dict[str, np.ndarray]:
        found = _embed([features[d] for d in needed], embeddings)
        return dict(zip(needed, found)) if found is not None else {}

    ids = [d.doc_id for d in docs]
    return group_texts(ids, [features[i] for i in ids], vectors if embeddings is not None else None, thresholds)


def group_texts(
    ids: list[str],
    neutral_texts: list[str],
    vectors: Callable[[list[str]], dict[str, np.ndarray]] | None = None,
    thresholds: RetrievalSettings | None = None,
) -> dict[str, str]:
    """Groups of documents (by id) whose district-neutral inquiry texts are the same inquiry.

    Scales past a few hundred documents: candidate pairs come from an inverted index of sampled
    5-grams (boilerplate 5-grams shared by many documents are ignored), only candidates are compared
    exactly, and only documents in a borderline pair are embedded (``vectors`` gives their unit
    vectors by id; without it only the lexical test is used). ``thresholds``: the retrieval settings
    (``same_inquiry_*``; default: the process-wide ones).
    """
    if len(ids) < 2:
        return {}
    t = thresholds if thresholds is not None else get_settings().retrieval
    grams = [shingles(normalise(t)) for t in neutral_texts]

    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    borderline: list[tuple[int, int]] = []
    for i, j in _candidate_pairs(grams, t):
        if ids[i] == ids[j] or min(len(grams[i]), len(grams[j])) < t.same_inquiry_min_shingles:
            continue
        lexical = containment(grams[i], grams[j])
        if lexical >= t.same_inquiry_lexical:
            parent[find(i)] = find(j)
        elif lexical >= t.same_inquiry_lexical_with_meaning and vectors is not None:
            borderline.append((i, j))
    if borderline:
        needed = sorted({k for pair in borderline for k in pair})
        found = vectors([ids[k] for k in needed])
        for i, j in borderline:
            a, b = found.get(ids[i]), found.get(ids[j])
            if a is not None and b is not None and float(a @ b) >= t.same_inquiry_semantic:
                parent[find(i)] = find(j)

    members: dict[int, list[str]] = {}
    for i, doc_id in enumerate(ids):
        members.setdefault(find(i), []).append(doc_id)
    out: dict[str, str] = {}
    for group in members.values():
        if len(group) < 2:
            continue
        gid = "inq-" + hashlib.sha1("\n".join(sorted(group)).encode()).hexdigest()[:10]
        for doc_id in group:
            out[doc_id] = gid
    return out


_FEATURES: dict[tuple[str, str], tuple[str, frozenset[int]]] = {}
"""(doc_id, content hash) → (district-neutral inquiry text, its 5-grams)."""


def _features(doc: ParsedDocument) -> tuple[str, frozenset[int]]:
    key = (doc.doc_id, doc.content_hash or hashlib.sha256(doc.text.encode("utf-8")).hexdigest())
    if key not in _FEATURES:
        neutral = neutralise_districts(inquiry_text(doc))
        _FEATURES[key] = (neutral, shingles(normalise(neutral)))
    return _FEATURES[key]


def _candidate_pairs(grams: list[frozenset[int]], t: RetrievalSettings) -> list[tuple[int, int]]:
    """Pairs that share enough sampled, non-boilerplate 5-grams to be worth an exact comparison: the
    5-grams whose hash is divisible by ``t.same_inquiry_sample_mod`` are looked at, and a pair is compared
    exactly when it shares ``t.same_inquiry_candidate_share`` of the smaller text's distinctive samples.
    Up to ``t.same_inquiry_exact_max_docs`` documents every pair is a candidate."""
    if len(grams) <= t.same_inquiry_exact_max_docs:
        return [(i, j) for i in range(len(grams)) for j in range(i + 1, len(grams))]
    sample_mod, candidate_share = t.same_inquiry_sample_mod, t.same_inquiry_candidate_share
    samples = [{h for h in g if h % sample_mod == 0} for g in grams]
    postings: dict[int, list[int]] = {}
    for i, sample in enumerate(samples):
        for h in sample:
            postings.setdefault(h, []).append(i)
    max_df = max(t.same_inquiry_boilerplate_min_df, len(grams) // t.same_inquiry_boilerplate_divisor)
    shared: dict[tuple[int, int], int] = {}
    distinctive = [0] * len(grams)  # sampled 5-grams of each text that are not boilerplate
    for ids in postings.values():
        if len(ids) > max_df:
            continue
        for i in ids:
            distinctive[i] += 1
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                pair = (ids[x], ids[y])
                shared[pair] = shared.get(pair, 0) + 1
    return [
        (i, j)
        for (i, j), count in shared.items()
        if count >= candidate_share * max(1, min(distinctive[i], distinctive[j]))
    ]


_VECTOR_CACHE: dict[tuple[str, str], np.ndarray] = {}
"""(model id, text hash) → vector: inquiry texts are re-embedded only when they change."""


def _embed(neutral: list[str], embeddings: Any | None) -> np.ndarray | None:
    if embeddings is None:
        return None
    model = str(getattr(embeddings, "model_id", type(embeddings).__name__))
    keys = [(model, hashlib.sha256(t.encode("utf-8")).hexdigest()) for t in neutral]
    todo = [i for i, key in enumerate(keys) if key not in _VECTOR_CACHE]
    if todo:
        batch = [neutral[i] for i in todo]
        if hasattr(embeddings, "embed_passages"):
            fresh = np.asarray(embeddings.embed_passages(batch), dtype=np.float32)
        else:
            fresh = np.asarray(embeddings.embed_documents(batch), dtype=np.float32)
        fresh = fresh / np.maximum(np.linalg.norm(fresh, axis=1, keepdims=True), 1e-12)
        for i, vector in zip(todo, fresh):
            _VECTOR_CACHE[keys[i]] = vector
    return np.vstack([_VECTOR_CACHE[key] for key in keys])
