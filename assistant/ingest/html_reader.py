"""HTML and Markdown files: the visible text, block elements as lines.

Scripts, styling, navigation and hidden elements are dropped; inline whitespace collapses; table
cells are tab-separated. Markdown is rendered to HTML with markdown-it-py and read the same way (its
YAML front matter is kept as plain lines: it often holds the title and date). Split out of
:mod:`assistant.ingest.readers`, which re-exports ``html_to_text``.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.text_reader import _short, decode_text


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
