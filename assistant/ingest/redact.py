"""Redaction of Swedish personal identity numbers before anything is stored or indexed.

Public documents may quote a personnummer (a child's, in a social-services case) or a
samordningsnummer (day of birth + 60). Both are 10 or 12 digits, written with ``-``, ``+`` (100
years or older) or no separator. A number is redacted only when it is a valid date AND passes the
Luhn check, so telephone numbers, diarienummer, dates and amounts that merely look similar stay:
the drafts must keep officials' contact details and case references.
"""

from __future__ import annotations

import re
from datetime import date

PERSONNUMMER_MARKER = "[personnummer borttaget]"
SAMORDNINGSNUMMER_MARKER = "[samordningsnummer borttaget]"

# YYYYMMDD-NNNN / YYMMDD-NNNN; separator '-', '+', an en dash (word processors), either with spaces
# around it (OCR, typing), a space alone, or none. Not part of a longer run of digits, and not glued
# to letters or to '/', ':', ',' or '.' digit groups (diarienummer, SFS numbers, decimals).
# Separators as word processors and web forms write them: hyphen-minus, '+', the Unicode hyphens
# and dashes (non-breaking hyphen U+2011, minus sign U+2212 …), and ordinary, non-breaking, narrow
# and thin spaces around them or alone.
_SPACE = "[ \u00a0\u202f\u2009\u2007]"
_DASH = "[-+\u2010\u2011\u2012\u2013\u2014\u2212]"
_PATTERN = re.compile(
    r"(?<![\w/\-\u2010\u2011\u2212])(?<!\d[.,:])"
    r"(?P<century>\d{2})?(?P<yy>\d{2})(?P<mm>\d{2})(?P<dd>\d{2})"
    rf"(?P<sep>{_SPACE}?{_DASH}{_SPACE}?|{_SPACE})?"
    r"(?P<serial>\d{3})(?P<check>\d)"
    r"(?![\w/:]|[.,]\d)"
)

# A number right after these words is a telephone number, whatever its digits happen to satisfy.
_PHONE_CONTEXT = re.compile(r"(?:tel|telefon|tfn|mobil|mobiltelefon|fax|växel|sms)\.?:?\s*$", re.IGNORECASE)


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used by personnummer, over the 10-digit form."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _valid_date(year_candidates: list[int], month: int, day: int) -> bool:
    for year in year_candidates:
        try:
            date(year, month, day)
            return True
        except ValueError:
            continue
    return False


def classify(match: re.Match[str]) -> str | None:
    """``"personnummer"``, ``"samordningsnummer"`` or None if the digits are not a valid number."""
    century, yy, mm, dd = match["century"], int(match["yy"]), int(match["mm"]), int(match["dd"])
    if century is not None and century not in ("18", "19", "20"):
        return None
    if century is not None and "+" in (match["sep"] or ""):
        return None  # '+' only belongs to the 10-digit form
    kind = "personnummer"
    if dd > 60:
        kind, dd = "samordningsnummer", dd - 60
    if century is not None:
        years = [int(century + f"{yy:02d}")]
    else:
        years = [1900 + yy, 2000 + yy, 1800 + yy]
    if not _valid_date(years, mm, dd):
        return None
    ten = f"{yy:02d}{match['mm']}{match['dd']}{match['serial']}{match['check']}"
    return kind if luhn_ok(ten) else None


def redact(text: str) -> tuple[str, int]:
    """Replace every valid personnummer and samordningsnummer with a visible marker.

    Returns the redacted text and how many numbers were replaced.
    """
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        kind = classify(match)
        if kind is None:
            return match.group(0)
        if _PHONE_CONTEXT.search(text[max(0, match.start() - 20) : match.start()]):
            return match.group(0)
        count += 1
        return PERSONNUMMER_MARKER if kind == "personnummer" else SAMORDNINGSNUMMER_MARKER

    return _PATTERN.sub(replace, text), count


def redacted(text: str) -> str:
    """``text`` with every personnummer and samordningsnummer replaced (the count dropped)."""
    return redact(text)[0]


class RedactingFilter:
    """A :mod:`logging` filter that redacts every record's message before any handler writes it:
    the app's and its libraries' logs (an error quoting an inquiry, a file name) are a write path too."""

    def filter(self, record) -> bool:  # logging.Filter protocol
        message = record.getMessage()
        clean = redacted(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def redact_logs() -> None:
    """Install :class:`RedactingFilter` on the root logger's handlers (creating a stderr handler
    if there is none), so nothing logged by the process carries a personnummer."""
    import logging

    root = logging.getLogger()
    if not root.handlers:
        # What Python prints without any handler (warnings and errors), now through a handler that
        # can carry the filter; libraries that set their own loggers to DEBUG stay quiet as before.
        handler = logging.StreamHandler()
        handler.setLevel(logging.WARNING)
        root.addHandler(handler)
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
