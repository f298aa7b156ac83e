"""Positions on att-satser: what a förvaltning says of each proposal (delar / delar delvis / delar inte).

Answers to motions and remisser take a stance per att-sats in a small, fixed vocabulary of the genre
("Förvaltningen delar motionärens uppfattning", "tillstyrker", "ställer sig positiv till", "delar
delvis … men", "ser inte behov av", "avstyrker"). This module reads that vocabulary, which belongs to
the genre and not to any topic, so it holds for inquiries about anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text import overlap, sentences, squash
from assistant.models import ParsedDocument, Section, StanceLabel
from assistant.settings import DraftingSettings, get_settings

# Partial agreement: said outright, or agreement followed by a reservation.
_PARTLY = re.compile(
    r"\bdelvis\b|\bi\s+(?:vissa\s+)?delar\b|\bmed\s+(?:vissa\s+)?(?:reservation|förbehåll)|\bi\s+huvudsak\b"
    r"|\bi\s+grunden\b[^.]*\bmen\b",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\bdelar\s+inte\b|\binte\s+delar\b|\bavstyrker\b|\bavstyrks\b|\binte\s+tillstyrk|\btillstyrker\s+inte\b"
    r"|\bser\s+inte\s+(?:behov|skäl|anledning)|\bser\s+(?:inget|inga)\s+(?:behov|skäl|anledning)"
    r"|\bställer\s+sig\s+(?:inte\s+bakom|negativ|tveksam|kritisk)|\bställer\s+sig\s+\w+\s+inte\s+bakom"
    r"|\bär\s+(?:negativ|tveksam|kritisk)\b|\bbör\s+inte\s+(?:genomföras|införas|bifallas)"
    r"|\bföreslår\s+att\s+(?:motionen|förslaget|att-satsen)\s+avslås|\bavslå\w*\b|\bmotsätter\s+sig\b"
    r"|\banser\s+inte\s+att\b",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"\bdelar\b|\btillstyrker\b|\btillstyrks\b|\bställer\s+sig\s+(?:\w+\s+){0,2}(?:positiv|bakom)|\bvälkomnar\b|\binstämmer\b"
    r"|\bser\s+positivt\b|\bär\s+positiv\b|\bstödjer\b|\bstöder\b|\bbifalla\w*\b|\bbifall\b",
    re.IGNORECASE,
)
# "…, men …" / "dock" after agreement: a reservation that makes agreement partial.
_RESERVATION = re.compile(r"\bmen\b|\bdock\b|\bsamtidigt\b|\bemellertid\b", re.IGNORECASE)
# Who takes the stance: the förvaltning / nämnd itself (not the motionär quoted).
_ADMIN_SUBJECT = re.compile(r"\b(?:stadsdels)?(?:förvaltningen|nämnden)\b", re.IGNORECASE)


def stance(sentence: str) -> StanceLabel | None:
    """The position a sentence takes on a proposal, or None if it takes none.

    Only sentences whose subject is the förvaltning or nämnd count: "Motionärerna föreslår …" states
    the inquiry, not a position.
    """
    subject = _ADMIN_SUBJECT.search(sentence)
    if not subject:
        return None
    # The stance verb belongs to the förvaltning: just after it ("Förvaltningen delar …", "… ställer
    # sig därför positiv") or just before it ("Förslaget tillstyrker förvaltningen"), not anywhere
    # ("… i olika delar av staden").
    before = " ".join(sentence[: subject.start()].split()[-3:])
    after_words = sentence[subject.end() :].split()
    after = " ".join(after_words[:8])
    reach = len(" ".join(after_words[:2]))  # the verb comes first or second after the subject
    window = f"{before} | {after}"
    offset = len(before) + 3

    def near(pattern: re.Pattern[str]) -> re.Match[str] | None:
        return next((m for m in pattern.finditer(window) if m.start() < len(before) or offset <= m.start() <= offset + reach), None)

    negative = bool(near(_NEGATIVE))
    positive = bool(near(_POSITIVE))
    if _PARTLY.search(sentence) and (positive or negative):
        return "delar delvis"
    if negative:
        # "delar … men ser inte behov av …": agreement with a refusal of part of it.
        refusal = near(_NEGATIVE)
        if positive and refusal and _POSITIVE.search(window[: refusal.start()]) and _RESERVATION.search(sentence):
            return "delar delvis"
        return "delar inte"
    if positive:
        return "delar"
    return None


def majority(positions: list[StanceLabel]) -> StanceLabel | None:
    """The most frequent position; a tie goes to the more cautious one (delar delvis, then delar inte).

    The förvaltning decides; a proposal that follows the cautious side of a split asks it to look
    closer rather than committing it to one district's yes.
    """
    if not positions:
        return None
    order: tuple[StanceLabel, ...] = ("delar delvis", "delar inte", "delar")
    counts = {p: positions.count(p) for p in order}
    top = max(counts.values())
    return next(p for p in order if counts[p] == top)


# --- a precedent's positions ------------------------------------------------------------------------
_ORDINALS = ("första", "andra", "tredje", "fjärde", "femte", "sjätte")
_NUMBERED = re.compile(r"\b(?:att-sats(?:en)?|förslag(?:et)?|punkt(?:en)?|yrkande(?:t)?)\s*(?:nr\.?\s*)?(\d)\b", re.IGNORECASE)


def _numbered(text: str) -> set[int]:
    out = {int(m.group(1)) for m in _NUMBERED.finditer(text)}
    low = text.lower()
    out.update(i + 1 for i, w in enumerate(_ORDINALS) if re.search(rf"\b{w}\s+(?:att-satsen|förslaget|punkten|yrkandet)\b", low))
    return out


@dataclass(frozen=True)
class StanceSentence:
    start: int
    end: int
    section: str
    position: StanceLabel


def precedent_positions(
    doc: ParsedDocument, att_satser: list[str], sections: list[tuple[Section, str]], thresholds: DraftingSettings | None = None
) -> dict[int, StanceSentence]:
    """Att-sats number (1-based) → the sentence in which ``doc`` states its position on it.

    ``sections`` are the document's answering sections with the heading that introduces each (a
    sub-heading such as "Att-sats 2: …" or "Förslag 3 – information" says which att-sats follows).
    The stance sentences of the body are matched one to one with the att-satser, maximising how well
    each fits (the att-sats or heading it numbers, the words it shares with the att-sats, its order:
    answers go through the proposals in turn); the summary is read only for att-satser the body
    leaves without a position. ``thresholds``: the drafting settings (``order_bonus``,
    ``stance_min_match``; default: the process-wide ones).
    """
    if not att_satser:
        return {}
    thresholds = thresholds if thresholds is not None else get_settings().drafting
    body = [(sec, h) for sec, h in sections if sec.role != "summary"]
    summary = [(sec, h) for sec, h in sections if sec.role == "summary"]
    found = _assign(doc, att_satser, body, thresholds)
    missing = [i for i in range(1, len(att_satser) + 1) if i not in found]
    if missing and summary:
        extra = _assign(doc, att_satser, summary, thresholds)
        found.update({i: s for i, s in extra.items() if i in missing})
    return found


def _assign(
    doc: ParsedDocument, att_satser: list[str], sections: list[tuple[Section, str]], thresholds: DraftingSettings
) -> dict[int, StanceSentence]:
    from scipy.optimize import linear_sum_assignment

    found: list[tuple[StanceSentence, list[float]]] = []
    for sec, heading in sections:
        for sp in sentences(doc.text, sec.body_start, sec.end):
            label = stance(squash(sp.text))
            if label is None:
                continue
            numbers = _numbered(sp.text) or _numbered(heading)
            scores = [
                (1.0 if i in numbers else 0.0) + max(overlap(a, sp.text), overlap(sp.text, a)) + 0.5 * overlap(a, heading)
                for i, a in enumerate(att_satser, 1)
            ]
            found.append((StanceSentence(sp.start, sp.end, sec.canonical, label), scores))
    if not found:
        return {}
    n = len(att_satser)
    # Order: the k-th stance sentence of an answer that goes through all proposals is about the k-th.
    in_order = len(found) == n
    matrix = [[sc + (thresholds.order_bonus if in_order and k == i else 0.0) for i, sc in enumerate(scores)] for k, (_, scores) in enumerate(found)]
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return {int(c) + 1: found[r][0] for r, c in zip(rows, cols) if found[r][1][c] >= thresholds.stance_min_match or (in_order and r == c)}
