"""Positions on att-satser: what a förvaltning says of each proposal (delar / delar delvis / delar inte).

Answers to motions and remisser take a stance per att-sats in a small, fixed vocabulary of the genre
("Förvaltningen delar motionärens uppfattning", "tillstyrker", "ställer sig positiv till", "delar
delvis … men", "ser inte behov av", "avstyrker"). This module reads that vocabulary, which belongs to
the genre and not to any topic, so it holds for inquiries about anything.
"""

from __future__ import annotations

import re

from assistant.models import StanceLabel

# Partial agreement: said outright, or agreement followed by a reservation.
_PARTLY = re.compile(
    r"\bdelvis\b|\bi\s+(?:vissa\s+)?delar\b|\bmed\s+(?:vissa\s+)?(?:reservation|förbehåll)|\bi\s+huvudsak\b"
    r"|\bi\s+grunden\b[^.]*\bmen\b",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\bdelar\s+inte\b|\binte\s+delar\b|\bavstyrker\b|\binte\s+tillstyrk|\btillstyrker\s+inte\b"
    r"|\bser\s+inte\s+(?:behov|skäl|anledning)|\bser\s+(?:inget|inga)\s+(?:behov|skäl|anledning)"
    r"|\bställer\s+sig\s+(?:inte\s+bakom|negativ|tveksam|kritisk)|\bställer\s+sig\s+\w+\s+inte\s+bakom"
    r"|\bär\s+(?:negativ|tveksam|kritisk)\b|\bbör\s+inte\s+(?:genomföras|införas|bifallas)"
    r"|\bföreslår\s+att\s+(?:motionen|förslaget|att-satsen)\s+avslås|\bavslå\w*\b|\bmotsätter\s+sig\b"
    r"|\banser\s+inte\s+att\b",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"\bdelar\b|\btillstyrker\b|\bställer\s+sig\s+(?:\w+\s+)?(?:positiv|bakom)|\bvälkomnar\b|\binstämmer\b"
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
    if not _ADMIN_SUBJECT.search(sentence):
        return None
    negative = bool(_NEGATIVE.search(sentence))
    positive = bool(_POSITIVE.search(sentence))
    if _PARTLY.search(sentence) and (positive or negative):
        return "delar delvis"
    if negative:
        # "delar … men ser inte behov av …": agreement with a refusal of part of it.
        before = _NEGATIVE.search(sentence)
        if positive and before and _POSITIVE.search(sentence[: before.start()]) and _RESERVATION.search(sentence):
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
