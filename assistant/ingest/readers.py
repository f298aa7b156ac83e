"""Bytes to text, one reader per format, with the line structure the parser needs.

Every reader returns plain text whose lines are the document's paragraphs and headings, normalised
the same way (``\\n`` line endings, Unicode NFC, no control characters), so the parser and the offsets
it produces never depend on the format a document happened to arrive in. Failures are raised as
:class:`~assistant.errors.IngestError` naming the file and the reason, in Swedish, because that one
line is what the user sees.

This module chooses the reader by extension, checks size and existence before reading, and
normalises what every reader returns. The readers themselves are one module per format:
:mod:`assistant.ingest.text_reader` (plain text and its encodings), :mod:`assistant.ingest.pdf_reader`,
:mod:`assistant.ingest.docx_reader` and :mod:`assistant.ingest.html_reader` (HTML and Markdown).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.docx_reader import _read_docx
from assistant.ingest.html_reader import _read_html, _read_markdown, html_to_text
from assistant.ingest.pdf_reader import _read_pdf, strip_running_heads
from assistant.ingest.text_reader import _read_txt, decode_text
from assistant.models import RawDocument

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "supported_format",
    "read_document",
    "load_bytes",
    "decode_document",
    "normalise_text",
    "join_pages",
    "decode_text",
    "html_to_text",
    "strip_running_heads",
]

# Extension -> format name. Anything else is refused with a reason.
SUPPORTED_EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}

# Formats people commonly have that we cannot read, with advice on what to do instead.
_UNSUPPORTED_ADVICE: dict[str, str] = {
    ".doc": "det gamla Word-formatet; spara filen som .docx",
    ".rtf": "spara filen som .docx eller PDF",
    ".odt": "spara filen som .docx eller PDF",
    ".xls": "kalkylblad läses inte in som dokument",
    ".xlsx": "kalkylblad läses inte in som dokument",
    ".pptx": "spara presentationen som PDF",
}

# Control characters that never belong in text (tab and newline are kept; form feed and vertical tab,
# Word's manual line break in exported text, become newlines first).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b\ufeff]")


def supported_format(path: Path) -> str | None:
    """The format name for ``path``'s extension, or None if no reader handles it."""
    return SUPPORTED_EXTENSIONS.get(path.suffix.lower())


def read_document(path: Path, max_bytes: int) -> RawDocument:
    """Read a document file into text; raise :class:`IngestError` with a clear reason if it cannot be."""
    path = Path(path)
    data = load_bytes(path, max_bytes)
    return decode_document(data, path)


def load_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after checking its format, existence and size (size before reading anything)."""
    path = Path(path)
    if supported_format(path) is None:
        raise IngestError(path, _unsupported_reason(path))
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise IngestError(path, "filen finns inte (flyttad eller borttagen?)") from None
    except OSError as exc:
        raise IngestError(path, f"filen kan inte läsas: {exc.strerror or exc}") from None
    if not path.is_file():
        raise IngestError(path, "är inte en vanlig fil")
    if size > max_bytes:
        raise IngestError(
            path, f"filen är för stor ({_mb(size)} MB; gränsen är {_mb(max_bytes)} MB, inställningen ingest.max_file_mb)"
        )
    if size == 0:
        raise IngestError(path, "filen är tom")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(path, "filen försvann medan den lästes (flyttad eller borttagen?)") from None
    except OSError as exc:
        raise IngestError(path, f"filen kan inte läsas: {exc.strerror or exc}") from None
    if len(data) > max_bytes:  # grew between stat and read
        raise IngestError(path, f"filen är för stor ({_mb(len(data))} MB; gränsen är {_mb(max_bytes)} MB)")
    if not data:
        raise IngestError(path, "filen är tom")
    return data


def decode_document(data: bytes, path: Path) -> RawDocument:
    """Turn a file's bytes into a :class:`RawDocument`, choosing the reader by extension."""
    path = Path(path)
    fmt = supported_format(path)
    if fmt is None:
        raise IngestError(path, _unsupported_reason(path))
    pages = _READERS[fmt](data, path)
    text, page_starts = join_pages([normalise_text(p) for p in pages])
    if not text.strip():
        if fmt == "pdf":
            raise IngestError(
                path,
                "PDF-filen innehåller ingen text som kan läsas ut (troligen en inskannad bild); "
                "kör OCR på filen först",
            )
        raise IngestError(path, "filen innehåller ingen text")
    return RawDocument(
        source=str(path), text=text, page_starts=page_starts if fmt == "pdf" else None, format=fmt
    )


def normalise_text(text: str) -> str:
    """One normal form for all formats: ``\\n`` line endings, NFC, no control characters,
    no trailing spaces on lines and no runs of more than one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n" if text.strip() else ""


def join_pages(pages: list[str]) -> tuple[str, list[int]]:
    """Join page texts with a blank line between pages, recording where each page starts."""
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for page in pages:
        if parts:
            parts.append("\n")
            offset += 1
        starts.append(offset)
        parts.append(page)
        offset += len(page)
    return "".join(parts), starts



_READERS: dict[str, Callable[[bytes, Path], list[str]]] = {
    "pdf": _read_pdf,
    "docx": _read_docx,
    "txt": _read_txt,
    "html": _read_html,
    "markdown": _read_markdown,
}


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def _unsupported_reason(path: Path) -> str:
    suffix = path.suffix.lower()
    shown = suffix or "(ingen filändelse)"
    advice = _UNSUPPORTED_ADVICE.get(suffix, "stöds: " + ", ".join(sorted(SUPPORTED_EXTENSIONS)))
    return f"filtypen {shown} stöds inte ({advice})"


def _mb(n: float) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
