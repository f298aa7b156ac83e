"""PDF files: text per page with pypdf, with running heads, feet and page numbers removed.

The pages stay separate (``readers.decode_document`` records where each starts) so that passages can
cite a page. Encrypted and damaged files are refused with the reason; a PDF without a text layer (a
scan) is refused by ``readers.decode_document``, since it reads as empty. Split out of
:mod:`assistant.ingest.readers`, which re-exports ``strip_running_heads``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.text_reader import _short


def _read_pdf(data: bytes, path: Path) -> list[str]:
    """Text per page with pypdf; encrypted and damaged files are refused with the reason."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if b"%PDF-" not in data[:1024]:
        raise IngestError(path, "filen är inte en PDF (saknar PDF-huvud) eller är skadad")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Files with only an owner password (printing/copy restrictions) open with an empty one.
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # pypdf raises several kinds for unsupported ciphers
                raise IngestError(path, f"PDF-filen är krypterad och kan inte öppnas ({exc})") from None
            if not opened:
                raise IngestError(path, "PDF-filen är lösenordsskyddad; spara en version utan lösenord")
        return strip_running_heads([page.extract_text() or "" for page in reader.pages])
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise IngestError(path, f"PDF-filen är skadad och kan inte läsas ({_short(exc)})") from None


# "Sida 2 (5)", "2 (5)", "2 av 5", "2/5", "- 2 -", "2": a page number alone on its line.
_PAGE_NUMBER = re.compile(r"^(?:sida\s+)?\d{1,3}(?:\s*\(\s*\d{1,3}\s*\)|\s*(?:av|/)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$", re.I)
_EDGE_LINES = 6  # how many lines at the top and bottom of a page may be running heads or feet


def strip_running_heads(pages: list[str]) -> list[str]:
    """Remove page numbers and the header/footer lines repeated on most pages.

    They would otherwise land in the middle of sections and chunks. Lines are peeled off the top
    and the bottom of each page while they are page numbers or repeated lines. The first page keeps
    its header (it often carries the diarienummer and date the parser needs); later pages lose it.
    """
    if len(pages) < 2:
        return pages

    def shape(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split())).lower()

    split = [[line for line in page.split("\n") if line.strip()] for page in pages]
    seen: dict[str, int] = {}
    for lines in split:
        for key in {shape(line) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}:
            seen[key] = seen.get(key, 0) + 1
    repeated = {k for k, n in seen.items() if n >= max(2, round(0.6 * len(pages))) and len(k) > 1}

    out = []
    for number, page in enumerate(pages):
        lines = page.split("\n")

        def running(line: str) -> bool:
            text = line.strip()
            return not text or bool(_PAGE_NUMBER.match(text)) or (number > 0 and shape(text) in repeated)

        top, bottom = 0, len(lines)
        while top < bottom and top < _EDGE_LINES * 2 and running(lines[top]):
            top += 1
        while bottom > top and len(lines) - bottom < _EDGE_LINES * 2 and running(lines[bottom - 1]):
            bottom -= 1
        kept = lines[top:bottom]
        # a page number inside a kept header ("Dnr …", "Sida 1 (3)", "Datum …") goes too
        edge = set(range(min(_EDGE_LINES, len(kept)))) | set(range(len(kept) - _EDGE_LINES, len(kept)))
        out.append("\n".join(line for i, line in enumerate(kept) if i not in edge or not _PAGE_NUMBER.match(line.strip())))
    return out
