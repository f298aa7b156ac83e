"""Word export of a tjänsteutlåtande: the file a stadsdelsförvaltning sends on to its nämnd.

Two exports share one document setup (:func:`_document`): :func:`export_docx` writes a draft as the
drafter made it, :func:`export_markdown_docx` a version whose Markdown was edited by hand in review.
Both give the document Swedish as its language (so Word spell-checks it as Swedish), core properties
(title, author, language), a letterhead on every page (förvaltning, Dnr, date, approval state), page
numbers "Sida X (Y)", the header block with explicit placeholders, and every flag highlighted and
attached as a Word comment so it survives into review.

An export is either approved (it names the approver and the day, the letterhead says GODKÄND) or a
draft (the letterhead says "UTKAST – ej godkänt"): one cannot be mistaken for the other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from assistant.draft import districts
from assistant.draft.render import FLAG_LABELS, HEADER_PLACEHOLDERS, citation_line, draft_title, flag_label
from assistant.models import Citation, Draft, Paragraph

LANGUAGE = "sv-SE"
COMMENT_AUTHOR = "Utlåtandeassistenten"
APPROVED_STATUS = "godkänd"
"""The review store's status of an approved draft."""
APPROVED_MARK = "GODKÄND"
DRAFT_MARK = "UTKAST – ej godkänt"

_HIGHLIGHT = {
    "unsupported": WD_COLOR_INDEX.PINK,
    "invalid_citation": WD_COLOR_INDEX.PINK,
    "att_bekrafta": WD_COLOR_INDEX.YELLOW,
    "placeholder": WD_COLOR_INDEX.TURQUOISE,
    "outdated_law": WD_COLOR_INDEX.BRIGHT_GREEN,
    "no_precedent": WD_COLOR_INDEX.GRAY_25,
    "att_uppdatera": WD_COLOR_INDEX.YELLOW,
    "suspect_law": WD_COLOR_INDEX.PINK,
    "position": WD_COLOR_INDEX.YELLOW,
}
_PLACEHOLDER_RE = re.compile(r"(\[[A-ZÅÄÖ][A-ZÅÄÖ ,.\-a-zåäö]*\])")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML cannot hold (form feeds from PDFs, stray control bytes): python-docx refuses them."""
_STOCKHOLM = ZoneInfo("Europe/Stockholm")
_FIELD_ATTRIBUTE = {"Handläggare": "author", "Datum": "date", "Diarienummer": "dnr"}
"""Header-block fields that the letterhead and the core properties also show."""


# ---------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------
def export_docx(
    draft: Draft,
    path: str | Path,
    *,
    author: str | None = None,
    dnr: str | None = None,
    date: str | None = None,
    status: str | None = None,
    approved_by: str | None = None,
    approved_at: str | None = None,
) -> Path:
    """Write ``draft`` as a .docx file at ``path`` and return the path.

    ``author`` is the handläggare's name, ``dnr`` and ``date`` the ärende's; what is not given stays a
    placeholder. ``approved_by`` and ``approved_at`` (together, status ``godkänd`` or none) make an
    approved export; ``status`` is the review state of a draft (e.g. "för granskning").
    """
    letter = _Letter(draft_title(draft), draft.district, author=author, dnr=dnr, date=date, status=status, approved_by=approved_by, approved_at=approved_at)
    fields, letter = _complete([*HEADER_PLACEHOLDERS, ("Till", districts.committee(draft.district))], letter)
    doc = _document(letter)
    _add_fields(doc, fields)
    _add_title(doc, letter.title, letter)
    for flag in draft.flags:
        if flag.kind != "placeholder":
            _add_note(doc, flag_label(flag), flag.kind, flag.message)
    for section in draft.sections:
        doc.add_heading(_xml_safe(section.heading), level=2)
        for p in section.paragraphs:
            _add_paragraph(doc, p)
    if draft.citations:
        doc.add_heading("Källor", level=2)
        _add_sources(doc, draft.citations)
    return _save(doc, path)


def export_markdown_docx(
    markdown: str,
    path: str | Path,
    *,
    title: str,
    district: str | None,
    citations: Sequence[Citation] = (),
    author: str | None = None,
    dnr: str | None = None,
    date: str | None = None,
    status: str | None = None,
    approved_by: str | None = None,
    approved_at: str | None = None,
) -> Path:
    """Write a hand-edited version (Markdown as :func:`~assistant.draft.render.to_markdown` makes it,
    then edited in review) as a .docx file at ``path``, with the same setup as :func:`export_docx`.

    What the officer wrote is the document: ``**Label:** value`` lines before the first heading are
    the header block, ``#``/``##``/``###`` headings, paragraphs, list items, and ``>`` lines, which are
    flags (highlighted, with a Word comment). Emphasis marks are removed; everything else, HTML
    included, is written as plain text. A header field the text leaves as a placeholder is filled
    from ``author``/``dnr``/``date``, and a field the officer filled in supplies the letterhead what
    the caller did not give. The title is the text's first ``#`` heading; ``title`` is used when the
    text does not start with one (and is always the document's title property). Given
    ``citations``, the text's "Källor" section is rewritten from them, so sources are named by title
    even in versions saved before titles were kept; without them it is kept as written.
    """
    fields, blocks = _parse_markdown(markdown)
    letter = _Letter(title, district, author=author, dnr=dnr, date=date, status=status, approved_by=approved_by, approved_at=approved_at)
    fields, letter = _complete(fields, letter)
    doc = _document(letter)
    if fields:
        _add_fields(doc, fields)
    if not blocks or (blocks[0].kind, blocks[0].level) != ("heading", 1):
        _add_title(doc, title, letter)
    else:
        _add_title(doc, blocks.pop(0).text, letter)
    replaced_level: int | None = None  # level of a Källor heading whose section the citations replace
    for block in blocks:
        if replaced_level is not None and (block.kind != "heading" or block.level > replaced_level):
            continue
        replaced_level = None
        if block.kind == "heading":
            doc.add_heading(_xml_safe(block.text), level=min(block.level, 3))
            if citations and block.text.casefold() == "källor":
                _add_sources(doc, citations)
                replaced_level = block.level
        elif block.kind == "flag":
            kind = next((k for k, label in FLAG_LABELS.items() if block.text.startswith(label)), None)
            message = block.text.split(":", 1)[1].strip() if kind and ":" in block.text else block.text
            _add_note(doc, block.text, kind, message)
        else:
            _add_text(doc.add_paragraph(style="List Bullet" if block.kind == "bullet" else None), block.text)
    return _save(doc, path)


# ---------------------------------------------------------------------------------------------
# what both exports share
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Letter:
    """What the letterhead, the core properties and the line under the title say."""

    title: str
    district: str | None
    author: str | None = None
    dnr: str | None = None
    date: str | None = None
    status: str | None = None
    approved_by: str | None = None
    approved_at: str | None = None

    def __post_init__(self) -> None:
        # An export that says GODKÄND must name who approved it and when, and nothing else may say it.
        if bool(self.approved_by) != bool(self.approved_at):
            raise ValueError("An approved export needs both approved_by and approved_at.")
        status = (self.status or "").casefold()
        if self.approved_by and status not in ("", APPROVED_STATUS):
            raise ValueError(f"approved_by is given but the status is {self.status!r}, not {APPROVED_STATUS!r}.")
        if status == APPROVED_STATUS and not self.approved_by:
            raise ValueError("An approved draft is exported with its approver (approved_by, approved_at).")

    @property
    def approved(self) -> bool:
        return bool(self.approved_by)

    @property
    def forvaltning(self) -> str:
        """The sender: "Hässelby-Vällingby stadsdelsförvaltning", "Skarpnäcks stadsdelsförvaltning"."""
        return f"{districts.attributive(self.district)} stadsdelsförvaltning" if self.district else "[STADSDELSFÖRVALTNING]"

    @property
    def mark(self) -> str:
        return APPROVED_MARK if self.approved else DRAFT_MARK

    @property
    def approval_line(self) -> str:
        """The line under the title: who approved it and on which day, or that it is a draft."""
        if self.approved:
            return f"Godkänd av {self.approved_by} {_day(self.approved_at or '')}"
        state = (self.status or "").strip()
        return f"{DRAFT_MARK} ({state})" if state and state.casefold() != "utkast" else DRAFT_MARK


def _complete(fields: list[tuple[str, str]], letter: _Letter) -> tuple[list[tuple[str, str]], _Letter]:
    """The header block and the letterhead agree: a field left as a placeholder is filled from the
    letter, and a field the officer filled in gives the letter what the caller did not. A value
    written in the text is never overwritten."""
    known: dict[str, str] = {}
    out = []
    for label, value in fields:
        attribute = _FIELD_ATTRIBUTE.get(label)
        given = getattr(letter, attribute) if attribute else None
        if attribute and _is_placeholder(value) and given:
            value = given
        elif attribute and not _is_placeholder(value) and not given:
            known[attribute] = value
        out.append((label, value))
    return out, replace(letter, **known)


def _document(letter: _Letter) -> DocxDocument:
    """A new document with everything the exports share: A4 page, font, Swedish, core properties,
    letterhead and page numbers."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    _set_language(doc)
    _set_properties(doc, letter)
    _add_letterhead(doc, letter)
    _add_page_numbers(doc)
    return doc


def _set_language(doc: DocxDocument) -> None:
    """Make Swedish the language of all text, so Word spell-checks and hyphenates it as Swedish.

    Word takes a run's language from ``w:lang`` in the properties it inherits: the document defaults
    (``w:docDefaults``) and its paragraph style. python-docx has no API for it, hence the oxml.
    """
    defaults = _first_child(_first_child(_first_child(doc.styles.element, "w:docDefaults"), "w:rPrDefault"), "w:rPr")
    styles = [s for s in doc.styles if s.type == WD_STYLE_TYPE.PARAGRAPH and (s.name == "Normal" or s.name.startswith("Heading"))]
    for rpr in [defaults, *(s.element.get_or_add_rPr() for s in styles)]:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attribute), LANGUAGE)


def _first_child(parent: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    """The ``tag`` child of ``parent``, created as its first child if missing (where the schema wants
    docDefaults, rPrDefault and rPr)."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.insert(0, child)
    return child


def _set_properties(doc: DocxDocument, letter: _Letter) -> None:
    """Core properties a records system and Word's file dialog show (replacing python-docx's own)."""
    props = doc.core_properties
    now = datetime.now(UTC)
    props.title = _clip(letter.title)
    props.author = props.last_modified_by = _clip(letter.author or COMMENT_AUTHOR)
    props.language = LANGUAGE
    props.category = "Tjänsteutlåtande"
    props.subject = _clip(f"Tjänsteutlåtande – {letter.forvaltning}" if letter.district else "Tjänsteutlåtande")
    props.keywords = _clip("; ".join(k for k in ("tjänsteutlåtande", letter.district, letter.dnr and f"Dnr {letter.dnr}") if k))
    props.content_status = "Godkänd" if letter.approved else "Utkast"
    props.comments = _clip(letter.approval_line)
    props.created = props.modified = now
    props.revision = 1


def _clip(text: str, limit: int = 255) -> str:
    """A core property holds at most 255 characters."""
    text = _xml_safe(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _add_letterhead(doc: DocxDocument, letter: _Letter) -> None:
    """The header on every page: förvaltning and approval state, then Dnr and date."""
    section = doc.sections[0]
    tabs = doc.styles["Header"].paragraph_format.tab_stops
    tabs.clear_all()
    tabs.add_tab_stop(section.page_width - section.left_margin - section.right_margin, WD_TAB_ALIGNMENT.RIGHT)
    first = section.header.paragraphs[0]
    _add_text(first, f"{letter.forvaltning}\t")
    first.add_run(letter.mark).bold = True
    _add_text(section.header.add_paragraph(style="Header"), f"Dnr {letter.dnr or '[DIARIENUMMER]'}\t{letter.date or '[DATUM]'}")


def _add_page_numbers(doc: DocxDocument) -> None:
    """The footer on every page: "Sida X (Y)", numbers Word computes from PAGE and NUMPAGES fields."""
    para = doc.sections[0].footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("Sida ")
    _add_field(para, "PAGE")
    para.add_run(" (")
    _add_field(para, "NUMPAGES")
    para.add_run(")")


def _add_field(para: DocxParagraph, code: str) -> None:
    """A field as Word writes one: begin, instruction, separate, last shown value, end."""

    def field_char(kind: str) -> None:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        para.add_run()._r.append(char)

    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    para.add_run()._r.append(instruction)
    field_char("separate")
    para.add_run("1")
    field_char("end")


def _add_fields(doc: DocxDocument, fields: list[tuple[str, str]]) -> None:
    """The header block (handläggare, telefon, datum, diarienummer, till) as a two-column table."""
    table = doc.add_table(rows=0, cols=2)
    for label, value in fields:
        cells = table.add_row().cells
        cells[0].text = _xml_safe(label)
        _add_text(cells[1].paragraphs[0], value)


def _add_title(doc: DocxDocument, title: str, letter: _Letter) -> None:
    """The title, and under it whether and by whom the text was approved."""
    doc.add_heading(_xml_safe(title), level=1)
    doc.add_paragraph().add_run(letter.approval_line).bold = True


def _add_note(doc: DocxDocument, text: str, kind: str | None, comment: str) -> None:
    """A flag on its own: a highlighted paragraph carrying a Word comment."""
    run = doc.add_paragraph().add_run(_xml_safe(text))
    run.font.highlight_color = _HIGHLIGHT.get(kind or "", WD_COLOR_INDEX.YELLOW)
    _comment(doc, run, comment)


def _add_sources(doc: DocxDocument, citations: Sequence[Citation]) -> None:
    for c in citations:
        _add_text(doc.add_paragraph(), citation_line(c))


def _comment(doc: DocxDocument, runs: Run | list[Run], text: str) -> None:
    doc.add_comment(runs, text=_xml_safe(text), author=COMMENT_AUTHOR, initials="UA")


def _save(doc: DocxDocument, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _add_text(para: DocxParagraph, text: str) -> list[Run]:
    """Add ``text`` as plain runs, highlighting [PLACEHOLDERS]; returns the runs added."""
    runs = []
    for piece in _PLACEHOLDER_RE.split(_xml_safe(text)):
        if not piece:
            continue
        run = para.add_run(piece)
        if _PLACEHOLDER_RE.fullmatch(piece):
            run.font.highlight_color = _HIGHLIGHT["placeholder"]
        runs.append(run)
    return runs


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _is_placeholder(value: str) -> bool:
    return not value.strip() or bool(_PLACEHOLDER_RE.fullmatch(value.strip()))


def _day(timestamp: str) -> str:
    """The day in Stockholm of an ISO timestamp (the review store records UTC); other text as given."""
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return timestamp
    return (moment.astimezone(_STOCKHOLM) if moment.tzinfo else moment).date().isoformat()


# ---------------------------------------------------------------------------------------------
# export_docx: a drafter's paragraph
# ---------------------------------------------------------------------------------------------
def _add_paragraph(doc: DocxDocument, p: Paragraph) -> None:
    para = doc.add_paragraph()
    runs = _add_text(para, p.text)
    if not p.flags or not runs:
        return
    kinds = [f.kind for f in p.flags]
    colour = next((_HIGHLIGHT[k] for k in ("unsupported", "invalid_citation", "suspect_law", "att_bekrafta", "position", "att_uppdatera", "outdated_law") if k in kinds), None)
    if colour is not None:
        for run in runs:
            if run.font.highlight_color is None:
                run.font.highlight_color = colour
    for flag in p.flags:
        _comment(doc, runs, flag_label(flag))


# ---------------------------------------------------------------------------------------------
# export_markdown_docx: reading the edited Markdown
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Block:
    kind: Literal["heading", "paragraph", "bullet", "flag"]
    text: str
    level: int = 0


_HEADING_MD = re.compile(r"#{1,6}(?=\s)")
_FIELD_MD = re.compile(r"\*\*([^*]+?):\*\*\s*(.*)")
_BULLET_MD = re.compile(r"[-*+]\s+")
_NUMBERED_MD = re.compile(r"\d{1,3}[.)]\s+")
_STRONG_MD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_MD = re.compile(r"(?<![\w*\\])([*_])(?=\S)(.+?)(?<=\S)(?<!\\)\1(?![\w*])")
_CODE_MD = re.compile(r"`([^`]*)`")
_ESCAPE_MD = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~])")


def _parse_markdown(markdown: str) -> tuple[list[tuple[str, str]], list[_Block]]:
    """The header fields (``**Label:** value`` lines before the first heading) and the blocks.

    As in Markdown, consecutive lines form one paragraph and a line ending in two spaces or a
    backslash breaks the line; a blank line, heading, ``>`` line or list item ends a paragraph.
    """
    fields: list[tuple[str, str]] = []
    blocks: list[_Block] = []
    pieces: list[str] = []

    def end_paragraph() -> None:
        if pieces:
            blocks.append(_Block("paragraph", _plain("".join(pieces))))
            pieces.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        heading = _HEADING_MD.match(line)
        field = _FIELD_MD.fullmatch(line) if not blocks and not pieces else None
        if not line or heading or field or line.startswith(">") or _BULLET_MD.match(line) or _NUMBERED_MD.match(line):
            end_paragraph()
        if not line:
            continue
        if heading:
            blocks.append(_Block("heading", _plain(line[heading.end() :].strip()), level=heading.end()))
        elif line.startswith(">"):
            blocks.append(_Block("flag", _plain(line.lstrip(">").strip())))
        elif field:
            fields.append((_plain(field.group(1).strip()), _plain(field.group(2).strip())))
        elif bullet := _BULLET_MD.match(line):
            blocks.append(_Block("bullet", _plain(line[bullet.end() :])))
        elif _NUMBERED_MD.match(line):
            blocks.append(_Block("paragraph", _plain(line)))
        else:
            hard_break = raw.endswith("  ") or line.endswith("\\")
            pieces.append(line.removesuffix("\\").rstrip() + ("\n" if hard_break else " "))
    end_paragraph()
    return fields, [b for b in blocks if b.text]


def _plain(text: str) -> str:
    """Markdown inline text as plain text: emphasis and code marks and backslash escapes removed."""
    text = _STRONG_MD.sub(r"\2", text.strip())
    text = _EMPHASIS_MD.sub(r"\2", text)
    text = _CODE_MD.sub(r"\1", text)
    return _ESCAPE_MD.sub(r"\1", text)
