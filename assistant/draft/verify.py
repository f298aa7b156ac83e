"""Verification of a draft, whichever drafter wrote it.

1. **Citations**: a citation must point at a passage the drafter was given, and its quote must be
   exactly ``doc.text[start:end]`` of a stored document. Anything else is removed from the text and
   the paragraph flagged ``invalid_citation``.
2. **Support**: every sentence of a factual paragraph (role ``content``/``local``) is scored against the
   quotes it cites: ``support = 0.5·cosine + 0.5·lexical`` where lexical is the share of the sentence's
   stemmed content words found in the quotes. A sentence below ``support_threshold`` (the drafting
   settings, :class:`~assistant.settings.DraftingSettings`) – or one that cites nothing – flags its
   paragraph ``unsupported``. When the lexical share alone already decides
   (≥ ``lexical_decides``), the score is that share and the embedding model is not run: most
   precedent sentences are quoted nearly verbatim.
"""

from __future__ import annotations

import re

import numpy as np

from assistant.draft import vectors
from assistant.draft.adapt import UNKNOWN_DISTRICT
from assistant.models import Citation, Draft, Flag, Paragraph
from assistant.settings import DraftingSettings, get_settings
from assistant.text import NEUTRAL_DISTRICT, neutralise_districts, overlap, sentences, unwrap_confirm

FACTUAL_ROLES = ("content", "local")
_MARKER = re.compile(r"\s*\[(\d+)\]")
_MARKER_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+\])+)")


_NUMBER = re.compile(r"\d+(?:[,.]\d+)?")


def _neutral(text: str) -> str:
    """District names replaced by one word: an adapted sentence ("Farsta stadsdelsnämnd …") is
    supported by its source ("Skarpnäcks stadsdelsnämnd …") — whose facts it may state is decided
    by the local/city-wide classification, not here."""
    return neutralise_districts(text).replace(UNKNOWN_DISTRICT, NEUTRAL_DISTRICT)


def _drafting(thresholds: DraftingSettings | None) -> DraftingSettings:
    """The drafting settings given, else the process-wide ones."""
    return thresholds if thresholds is not None else get_settings().drafting


def support_score(claim: str, evidence: str, embeddings=None, thresholds: DraftingSettings | None = None) -> float:
    """Support of ``claim`` by ``evidence`` in 0..1 (see module docstring)."""
    t = _drafting(thresholds)
    claim, evidence = _neutral(claim), _neutral(evidence)
    if set(_NUMBER.findall(claim)) - set(_NUMBER.findall(evidence)):
        return min(t.unsupported_number_cap, overlap(claim, evidence))
    lex = overlap(claim, evidence)
    if lex >= t.lexical_decides or embeddings is None:
        return lex
    m = vectors.passages(embeddings, [claim, evidence])
    cos = float(np.dot(m[0], m[1]))
    return 0.5 * cos + 0.5 * lex


def verify(
    draft: Draft, store, embeddings=None, allowed: list[Citation] | None = None, thresholds: DraftingSettings | None = None
) -> Draft:
    """Return a verified copy of ``draft``: invalid citations removed and flagged, support scored.

    ``allowed`` are the passages the drafter was given (default: the draft's own citations); a
    citation must also match its stored document's text exactly. ``thresholds``: the drafting
    settings (default: the process-wide ones).
    """
    thresholds = _drafting(thresholds)
    draft = draft.model_copy(deep=True)
    allowed_ids = {c.id for c in (allowed if allowed is not None else draft.citations)}
    valid: dict[int, Citation] = {}
    for c in draft.citations:
        if c.id in allowed_ids and _quote_matches(c, store):
            valid[c.id] = c
    draft.citations = [c for c in draft.citations if c.id in valid]
    for section in draft.sections:
        for p in section.paragraphs:
            _check_citations(p, valid)
            if p.role in FACTUAL_ROLES:
                _check_support(p, valid, embeddings, thresholds)
    for section in draft.sections:
        for p in section.paragraphs:
            for f in p.flags:
                if f.kind in ("unsupported", "invalid_citation") and f not in draft.flags:
                    draft.flags.append(f)
    return draft


def _quote_matches(c: Citation, store) -> bool:
    doc = store.get(c.doc_id)
    return doc is not None and 0 <= c.start < c.end <= len(doc.text) and doc.text[c.start : c.end] == c.quote


def _check_citations(p: Paragraph, valid: dict[int, Citation]) -> None:
    bad = sorted({int(n) for n in _MARKER_ALL(p.text) if int(n) not in valid} | {n for n in p.citations if n not in valid})
    if not bad:
        return
    p.text = _MARKER.sub(lambda m: "" if int(m.group(1)) in bad else m.group(0), p.text).strip()
    p.citations = [n for n in p.citations if n in valid]
    p.flags.append(
        Flag(kind="invalid_citation", message=f"Hänvisning till källa som inte fanns bland de hämtade styckena togs bort: {', '.join(f'[{n}]' for n in bad)}.")
    )


def _MARKER_ALL(text: str) -> list[str]:
    return [m.group(1) for m in _MARKER.finditer(text)]


def _check_support(p: Paragraph, valid: dict[int, Citation], embeddings, thresholds: DraftingSettings) -> None:
    """Score each sentence against the quotes it cites (its own markers, else the paragraph's)."""
    body = unwrap_confirm(p.text) if p.role == "local" else p.text
    body = _MARKER_AFTER_STOP.sub(r"\2\1", body)  # "… slut. [2]" → "… slut [2]." so markers stay with their sentence
    scores: list[float] = []
    weak: list[str] = []
    for span in sentences(body):
        own = [int(n) for n in _MARKER_ALL(span.text) if int(n) in valid]
        claim = _MARKER.sub("", span.text).strip()
        if len(claim.split()) < 3:
            continue
        cited = own or [n for n in p.citations if n in valid]
        if not cited:
            scores.append(0.0)
            weak.append(claim)
            continue
        evidence = " ".join(valid[n].quote for n in cited)
        score = support_score(claim, evidence, embeddings, thresholds)
        scores.append(score)
        if score < thresholds.support_threshold:
            weak.append(claim)
    p.support = round(min(scores), 3) if scores else None
    if not scores and _MARKER.sub("", body).strip() and not any(f.kind == "unsupported" for f in p.flags):
        # A fragment too short to be a claim ("<<SYS>>", a stray heading) in a factual paragraph.
        p.flags.append(Flag(kind="unsupported", message="Stycket innehåller inget helt påstående som kan prövas mot en källa."))
        return
    if weak and not any(f.kind == "unsupported" for f in p.flags):
        shown = "; ".join(f"”{w[:80]}{'…' if len(w) > 80 else ''}”" for w in weak[:3])
        p.flags.append(Flag(kind="unsupported", message=f"Påståendet stöds inte av den citerade källan: {shown}"))
