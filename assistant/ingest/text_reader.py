"""Plain text files: bytes to ``str``, whatever encoding a Swedish office machine wrote them in.

A byte-order mark decides; else UTF-8; else the legacy encoding (cp1252, Latin-1, …) whose decoding
has the most Swedish letters. The Markdown reader (:mod:`assistant.ingest.html_reader`) decodes its
source the same way. ``_short``, the one-line reason of a library's exception that the PDF, Word and
HTML readers put in their :class:`~assistant.errors.IngestError`, lives here too, below all of them.
Split out of :mod:`assistant.ingest.readers`, which re-exports ``decode_text``.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import IngestError

# Candidate legacy encodings for text that is not UTF-8: what Swedish office machines have written.
_LEGACY_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman"]
_SWEDISH_LETTERS = set("åäöÅÄÖéÉ")


def decode_text(data: bytes, path: Path) -> str:
    """Decode text bytes: BOM, then UTF-8, then the most Swedish-looking legacy encoding.

    charset-normalizer proposes the encodings the bytes are plausible in; among those, the one that
    yields Swedish letters (å, ä, ö) rather than stray symbols wins, because on short Swedish texts
    its own ranking often prefers e.g. Mac Roman or a Baltic code page.
    """
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise IngestError(path, f"filen är inte giltig {encoding.upper()}-text") from None
    if b"\x00" in data or _looks_binary(data):
        raise IngestError(path, "filen innehåller binärdata, inte text (fel filändelse?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass

    from charset_normalizer import from_bytes

    candidates = [m.encoding for m in from_bytes(data, cp_isolation=_LEGACY_ENCODINGS)]
    if not candidates:
        raise IngestError(path, "filens teckenkodning kunde inte avgöras; spara den som UTF-8")
    decoded = [data.decode(enc) for enc in candidates]
    return max(decoded, key=_swedish_score)


def _looks_binary(data: bytes) -> bool:
    """Many control characters no text file contains (a stray one or two are only noise)."""
    sample = data[:65536]
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 11, 12, 13))
    ratio = bad / len(sample)
    return ratio > 0.1 or (ratio > 0.02 and bad >= 3)


def _swedish_score(text: str) -> int:
    """Swedish letters count for a decoding, any other non-ASCII character against it."""
    score = 0
    for ch in text:
        if ord(ch) < 128:
            continue
        score += 1 if ch in _SWEDISH_LETTERS else -1
    return score


def _read_txt(data: bytes, path: Path) -> list[str]:
    return [decode_text(data, path)]


# --- shared by the format readers ----------------------------------------------------------------
def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
