"""Bytes to text, one reader per format, with the line structure the parser needs.

Every reader returns plain text whose lines are the document's paragraphs and headings, normalised
the same way (``\\n`` line endings, Unicode NFC, no control characters), so the parser and the offsets
it produces never depend on the format a document happened to arrive in. Failures are raised as
:class:`~assistant.errors.IngestError` naming the file and the reason, in Swedish, because that one
line is what the user sees.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

from assistant.errors import IngestError
from assistant.models import RawDocument

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

# Candidate legacy encodings for text that is not UTF-8: what Swedish office machines have written.
_LEGACY_ENCODINGS = ["cp1252", "latin_1", "iso8859_15", "cp850", "mac_roman"]
_SWEDISH_LETTERS = set("åäöÅÄÖéÉ")

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
            path, f"filen är för stor ({_mb(size)} MB; gränsen är {_mb(max_bytes)} MB, inställningen max_file_mb)"
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


# ---------------------------------------------------------------------------------------------
# plain text
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------------------------
def _read_docx(data: bytes, path: Path) -> list[str]:
    """Paragraphs and tables in document order; each paragraph, heading and table row is a line."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise IngestError(path, f"Word-filen är skadad eller inte en .docx-fil ({_short(exc)})") from None
    except Exception as exc:  # lxml errors on broken XML inside a valid zip
        raise IngestError(path, f"Word-filen kan inte läsas ({_short(exc)})") from None

    lines: list[str] = []
    body = document.element.body

    def paragraph_text(p) -> str:
        # Every w:t below the paragraph, so text in content controls, fields, hyperlinks and
        # tracked insertions is read too (python-docx's Paragraph.text skips some of them).
        # Tabs and breaks count only inside runs (w:tab also defines tab stops in w:pPr).
        parts = []
        for node in p.iter(_W_T, _W_TAB, _W_BR, _W_CR):
            if node.tag == _W_T:
                parts.append(node.text or "")
            elif node.getparent().tag == _W_R:
                parts.append("\t" if node.tag == _W_TAB else "\n")
        return "".join(parts)

    def children(parent, tags: tuple[str, ...]):
        """Child elements with these tags in order, looking inside content controls (w:sdt)."""
        for child in parent.iterchildren():
            if child.tag in tags:
                yield child
            elif child.tag == _W_SDT:
                content = child.find(_W_SDT_CONTENT)
                if content is not None:
                    yield from children(content, tags)

    def cell_text(tc) -> str:
        texts = []
        for block in children(tc, (_W_P, _W_TBL)):
            if block.tag == _W_P:
                texts.append(paragraph_text(block).strip())
            else:
                texts.extend(" ".join(row) for row in table_rows(block))
        return " ".join(t for t in texts if t)

    def table_rows(tbl) -> list[list[str]]:
        # Merged cells appear once in the XML (gridSpan) or empty (vMerge), so none repeat.
        rows = []
        for tr in children(tbl, (_W_TR,)):
            cells = [text for text in (cell_text(tc) for tc in children(tr, (_W_TC,))) if text]
            if cells:
                rows.append(cells)
        return rows

    for block in children(body, (_W_P, _W_TBL)):
        if block.tag == _W_TBL:
            lines.extend("\t".join(cells) for cells in table_rows(block))
            lines.append("")
            continue
        paragraph = Paragraph(block, document)
        try:
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
        except (KeyError, ValueError):
            style = ""
        if style.lower().startswith(("heading", "rubrik", "title")) and lines and lines[-1]:
            lines.append("")  # a heading starts a new block, as in the text files
        lines.append(paragraph_text(block))
    return ["\n".join(lines)]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_TBL, _W_TR, _W_TC, _W_R, _W_T = (_W + tag for tag in ("p", "tbl", "tr", "tc", "r", "t"))
_W_TAB, _W_BR, _W_CR = _W + "tab", _W + "br", _W + "cr"
_W_SDT, _W_SDT_CONTENT = _W + "sdt", _W + "sdtContent"


# ---------------------------------------------------------------------------------------------
# HTML and Markdown
# ---------------------------------------------------------------------------------------------
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot",
    "tr", "ul",
}
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "blockquote", "ul", "ol"}
# Not part of the document's text: code, styling, and a web page's navigation.
_DROP_TAGS = ["script", "style", "noscript", "template", "head", "svg", "iframe", "object", "button", "nav"]


def html_to_text(html: str | bytes) -> str:
    """Visible text of an HTML document: block elements become lines, inline whitespace collapses."""
    from bs4 import BeautifulSoup, Comment, NavigableString, Tag

    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(attrs={"hidden": True}):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()

    out: list[str | int] = []  # text, or an int: a line break of that many newlines

    def brk(n: int) -> None:
        # Adjacent block boundaries merge into the larger break instead of piling up blank lines.
        if out and isinstance(out[-1], int):
            out[-1] = max(out[-1], n)
        else:
            out.append(n)

    def walk(node: Tag, in_pre: bool) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                text = str(child) if in_pre else re.sub(r"\s+", " ", str(child))
                if in_pre or text.strip() or not (out and isinstance(out[-1], int)):
                    out.append(text)
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name == "br":
                out.append(1)  # an explicit break is never merged away
                continue
            if name in ("td", "th"):
                out.append("\t")
            gap = 2 if name in _PARAGRAPH_TAGS else 1 if name in _BLOCK_TAGS else 0
            if gap:
                brk(gap)
            if name == "li":
                out.append("- ")
            walk(child, in_pre or name == "pre")
            if gap:
                brk(gap)

    walk(soup, False)
    joined = "".join("\n" * item if isinstance(item, int) else item for item in out)
    joined = re.sub(r"^- *\n+(?=\S)", "- ", joined, flags=re.M)  # "<li><p>…" keeps its bullet
    lines = []
    for line in joined.split("\n"):
        line = re.sub(r"[ \u00a0]+", " ", line).strip(" \t")
        line = re.sub(r" *\t *", "\t", line)
        lines.append(line)
    return "\n".join(lines)


def _read_html(data: bytes, path: Path) -> list[str]:
    # bs4 reads the declared charset (meta tag or BOM) itself from bytes.
    try:
        return [html_to_text(data)]
    except Exception as exc:
        raise IngestError(path, f"HTML-filen kan inte läsas ({_short(exc)})") from None


def _read_markdown(data: bytes, path: Path) -> list[str]:
    """Markdown is rendered to HTML with markdown-it-py and then read like HTML: one way to get text."""
    from markdown_it import MarkdownIt

    source = decode_text(data, path)
    front, body = _split_front_matter(source)
    html = MarkdownIt("commonmark").enable("table").render(body)
    return [front + html_to_text(html)]


_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def _split_front_matter(source: str) -> tuple[str, str]:
    """YAML front matter ("---" … "---") kept as plain lines: it often holds the title and date."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return "", source
    return match.group(1).strip("\n") + "\n\n", source[match.end() :]


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


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
