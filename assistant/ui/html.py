"""HTML and chat-Markdown for the app, with every piece of document or user text escaped.

Documents are data: a ``<script>`` inside an uploaded file, or an instruction to "ignore previous
instructions", must show as the text it is. So nothing from a document or a user reaches an HTML
component without :func:`html.escape`, and Markdown shown in the chat has ``&`` and ``<`` escaped
(Markdown's own syntax, such as ``>`` quotes, keeps working).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from assistant.models import Citation, Comparison, ComparisonCell, ParsedDocument

CONTEXT_BEFORE = 600
CONTEXT_AFTER = 1200
"""Characters of context shown before and after a quoted span (bounded by its section)."""

_CITE_RE = re.compile(r"\[(\d{1,3})\]")


_MD_LINK = re.compile(r"\]\s*[(\[:]")
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|file|data|javascript)(:)|\b(www)(\.)")


def md_escape(text: str) -> str:
    """Make text safe to show in Markdown that is rendered as HTML: no tags, no entities, and no
    links or images made by the text itself — ``[x](url)``, ``![](url)``, ``[x][1]`` with ``[1]: url``,
    bare ``https://…`` or ``www.…`` stay visible as text. Documents and inquiries are data: only the
    app's own markup (citation links added afterwards) is live."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_LINK.sub(lambda m: "]&#8203;" + m.group(0)[1:], text)  # a zero-width space breaks "](" and "]:"
    text = text.replace("![", "!&#8203;[")
    return _AUTOLINK.sub(lambda m: (m.group(1) or m.group(3)) + ("&#58;" if m.group(2) else "&#46;"), text)


def link_citations(markdown: str, turn: int) -> str:
    """Turn ``[n]`` into a link the app's script opens in the sources panel (``#kalla-<turn>-<n>``)."""
    return _CITE_RE.sub(lambda m: f"[[{m.group(1)}]](#kalla-{turn}-{m.group(1)})", markdown)


def stockholm_time(iso: str | None) -> str:
    """A stored UTC time (ISO 8601) as Stockholm wall-clock time, 'YYYY-MM-DD HH:MM'."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:16].replace("T", " ")
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%d %H:%M")


def source_key(turn: int, cid: int) -> str:
    return f"{turn}-{cid}"


def citation_label(c: Citation) -> str:
    """Short label for the sources list: number, district, date, section."""
    bits = [c.district or "okänd stadsdel", c.date or "odaterat"]
    return f"[{c.id}] {' · '.join(bits)} – {c.section}"


def passage_html(doc: ParsedDocument | None, c: Citation) -> str:
    """The cited passage in its document context, the quoted span in ``<mark>``.

    The quote is checked against the stored text: if it no longer matches (the document was
    re-ingested), the panel says so instead of highlighting the wrong words.
    """
    if doc is None:
        return _panel(
            f"<p class='ua-warn'>Dokumentet {escape(c.doc_id)} finns inte längre i kunskapsbanken. "
            f"Citatet som användes:</p><blockquote>{escape(c.quote)}</blockquote>"
        )
    meta = doc.metadata
    text = doc.text
    matches = text[c.start : c.end] == c.quote
    section = doc.section_at(c.start)
    lo = max(section.start if section else 0, c.start - CONTEXT_BEFORE)
    hi = min(section.end if section else len(text), c.end + CONTEXT_AFTER)
    facts = [
        ("Stadsdel", meta.district or c.district or "okänd"),
        ("Datum", meta.date or c.date or "odaterat"),
        ("Diarienummer", meta.diarienummer or c.diarienummer or "saknas"),
        ("Dokumenttyp", meta.kind),
        ("Avsnitt", section.heading if section else c.section),
    ]
    page = doc.page_at(c.start)
    if page:
        facts.append(("Sida", str(page)))
    badges = []
    if meta.synthetic:
        badges.append("<span class='ua-badge ua-synth'>Syntetiskt testdokument</span>")
    if doc.ocr_damaged:
        badges.append(f"<span class='ua-badge'>OCR-reparerat ({doc.repairs} rättelser)</span>")
    head = (
        f"<div class='ua-doc-title'>[{c.id}] {escape(meta.title or Path(doc.source).name)}</div>"
        + "".join(badges)
        + "<dl class='ua-facts'>"
        + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
        + "</dl>"
        + f"<div class='ua-file'>{escape(Path(doc.source).name)}</div>"
    )
    if matches:
        body = (
            ("… " if lo > 0 else "")
            + escape(text[lo : c.start])
            + f"<mark id='ua-quote'>{escape(c.quote)}</mark>"
            + escape(text[c.end : hi])
            + (" …" if hi < len(text) else "")
        )
    else:
        body = (
            "<p class='ua-warn'>Citatet stämmer inte längre med dokumentets text (dokumentet har ändrats). "
            f"Citerat:</p><blockquote>{escape(c.quote)}</blockquote>"
        )
    return _panel(head + f"<div class='ua-context'>{body}</div>")


def _panel(inner: str) -> str:
    return f"<div class='ua-passage'>{inner}</div>"


def empty_sources_html() -> str:
    return _panel("<p class='ua-muted'>Klicka på en källhänvisning [n] i utkastet för att se det citerade stycket i sitt sammanhang.</p>")


def comparison_html(comparison: Comparison | None, source_keys: dict[str, str], picked: list[str], drafted: bool = False) -> str:
    """How the districts answered, point by point: rows = the inquiry's points, columns = the answers
    (own first), cells = the answering paragraph (escaped), its position on an att-sats and a link
    that opens it in context. Picked cells are marked; picking happens in the list below the table.
    Without a comparison yet, a hint: it is built when the tab is opened (``drafted``) or after a draft."""
    if comparison is None:
        hint = "Tryck på ”Visa jämförelse för utkastet”." if drafted else "Jämförelsen visas när det finns ett utkast."
        return _panel(f"<div class='ua-muted'>{hint}</div>")
    if not comparison.columns:
        return _panel("<div class='ua-muted'>Arkivet har inga svar från andra stadsdelar på ärendets punkter.</div>")
    chosen = set(picked)
    head = "".join(
        f"<th scope='col'>{escape(c.district or 'okänd stadsdel')}<br><span class='ua-muted'>{escape(c.date or 'odaterat')}</span>"
        + (" <span class='ua-badge'>eget svar</span>" if c.own else "")
        + "</th>"
        for c in comparison.columns
    )
    rows = []
    for row in comparison.rows:
        by_doc = {cell.citation.doc_id: cell for cell in row.cells}
        cells = []
        for col in comparison.columns:
            cell = by_doc.get(col.doc_id)
            if cell is None:
                cells.append("<td class='ua-empty'>–</td>")
                continue
            mark = " ua-picked" if cell.key in chosen else ""
            stance = f"<span class='ua-badge ua-stance'>{escape(cell.position)}</span> " if cell.position else ""
            link = f" <a href='#kalla-{escape(source_keys.get(cell.key, ''))}'>visa i sammanhang</a>" if cell.key in source_keys else ""
            cells.append(f"<td class='ua-cell{mark}'>{'✔ ' if mark else ''}{stance}{escape(_short(cell.citation.quote, 320))}{link}</td>")
        rows.append(f"<tr><th scope='row'>{escape(row.label)}<div class='ua-point'>{escape(_short(row.point, 160))}</div></th>{''.join(cells)}</tr>")
    return (
        "<div class='ua-compare'><table><thead><tr><th scope='col'>Punkt</th>"
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def pick_label(row_label: str, cell: ComparisonCell) -> str:
    """The label of a cell in the pick list: point, district, date, position."""
    c = cell.citation
    stance = f" · {cell.position}" if cell.position else ""
    own = " (eget svar)" if cell.own else ""
    return f"{row_label} · {c.district or 'okänd stadsdel'}{own} {c.date or 'odaterat'}{stance}: {_short(c.quote, 90)}"


def _short(text: str, n: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def diff_html(unified: str) -> str:
    """A unified diff coloured line by line (added green, removed red)."""
    if not unified.strip():
        return "<div class='ua-muted'>Inga skillnader.</div>"
    lines = []
    for line in unified.splitlines():
        cls = "ua-add" if line.startswith("+") and not line.startswith("+++") else ""
        cls = "ua-del" if line.startswith("-") and not line.startswith("---") else cls
        cls = "ua-hunk" if line.startswith("@@") else cls
        lines.append(f"<div class='{cls}'>{escape(line) or '&nbsp;'}</div>")
    return f"<div class='ua-diff'>{''.join(lines)}</div>"


def banner_html(kind: str, text: str) -> str:
    return f"<div class='ua-banner ua-banner-{escape(kind)}'>{escape(text)}</div>"


def theme():
    """The app's Gradio theme: Soft, with text colours that reach WCAG AA contrast (≥ 4.5:1) where
    the stock theme's light blue and grey do not (labels, hints, placeholders, primary buttons)."""
    import gradio as gr

    return gr.themes.Soft(primary_hue="blue", neutral_hue="slate").set(
        block_label_text_color="#1e3a8a",
        block_title_text_color="#1e3a8a",
        block_info_text_color="#475569",
        body_text_color_subdued="#475569",
        input_placeholder_color="#475569",
        button_primary_background_fill="#1d4ed8",
        button_primary_background_fill_hover="#1e40af",
        button_primary_text_color="#ffffff",
    )


CSS = """
.gradio-container { max-width: 1500px !important; }
#ua-header h1 { margin: 0; font-size: 1.5rem; }
#ua-user { text-align: right; }
#ua-cite-target { display: none !important; }
#ua-header p { margin: 0.2rem 0 0; color: var(--body-text-color-subdued); }
.ua-banner { padding: 0.6rem 0.9rem; border-radius: 8px; margin: 0.2rem 0; font-size: 0.95rem; }
.ua-banner-info { background: #e8f1fb; border: 1px solid #b6d2f2; color: #0b3d6e; }
.ua-banner-warn { background: #fff6e0; border: 1px solid #f0d08a; color: #6b4a00; }
.ua-banner-ok { background: #e9f7ef; border: 1px solid #a9dcbc; color: #1d5a35; }
.ua-banner-error { background: #fdecec; border: 1px solid #f2b3b3; color: #7a1b1b; }
.ua-passage { font-size: 0.93rem; line-height: 1.5; }
.ua-doc-title { font-weight: 600; font-size: 1rem; margin-bottom: 0.3rem; }
.ua-facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.8rem; margin: 0.4rem 0; }
.ua-facts dt { color: var(--body-text-color-subdued); }
.ua-facts dd { margin: 0; }
.ua-file { font-size: 0.8rem; color: var(--body-text-color-subdued); margin-bottom: 0.4rem; }
.ua-context { position: relative; white-space: pre-wrap; max-height: 460px; overflow-y: auto; border-left: 3px solid #c9d6e3;
  padding: 0.4rem 0.7rem; background: var(--background-fill-secondary); border-radius: 4px; }
.ua-context mark { background: #ffe58a; padding: 0 1px; border-radius: 2px; }
.ua-badge { display: inline-block; font-size: 0.75rem; padding: 1px 7px; border-radius: 10px;
  background: #eef1f5; margin-right: 0.3rem; }
.ua-synth { background: #fde2e2; color: #7a1b1b; }
.ua-warn { color: #8a4b00; font-weight: 600; }
.ua-muted { color: var(--body-text-color-subdued); }
.ua-compare { overflow-x: auto; max-height: 560px; overflow-y: auto; }
.ua-compare table { border-collapse: collapse; font-size: 0.88rem; }
.ua-compare th, .ua-compare td { border: 1px solid #c3ccd8; padding: 0.35rem 0.5rem; vertical-align: top; text-align: left;
  min-width: 13rem; word-break: normal; overflow-wrap: normal; hyphens: manual; }
.ua-compare thead th { position: sticky; top: 0; background: #eef2f7; }
.ua-compare td.ua-picked { background: #eaf4ea; }
.ua-compare .ua-point { font-weight: normal; color: #334155; font-size: 0.82rem; }
.ua-compare .ua-empty { color: #475569; text-align: center; }
.ua-stance { background: #dbe7f6; color: #0b2e55; }
/* WCAG AA: muted text at least 4.5:1 on white and on the panels' light backgrounds */
.ua-muted, .ua-facts dt, .ua-file, #ua-header p { color: #475569 !important; }
table { word-break: normal !important; overflow-wrap: normal !important; }
button[role="tab"][aria-selected="true"], button[role="tab"].selected { color: #1d4ed8 !important; }
footer, footer a, footer button, .show-api { color: #475569 !important; }
.info-text, [data-testid="block-info"], input::placeholder, textarea::placeholder { color: #475569 !important; }
[data-testid="block-info"], .has-info, .float { color: #1e3a8a !important; }
.ua-diff { font-family: ui-monospace, monospace; font-size: 0.82rem; white-space: pre-wrap; }
.ua-add { background: #e6f6ea; } .ua-del { background: #fbe9e9; } .ua-hunk { color: #5b6b82; }
#ua-chat blockquote { border-left: 4px solid #f0b429; background: #fff8e6; padding: 0.2rem 0.6rem; margin: 0.3rem 0; }
#ua-chat a[href^='#kalla-'] { text-decoration: none; font-weight: 600; color: #0b5cad; cursor: pointer; }
"""

SWEDISH_PAGE = """<script>
// The UI speaks Swedish whatever the browser's language: Gradio picks the language of its own
// controls (upload, clear, errors) from navigator.language as it starts, and ships Swedish.
try {
  Object.defineProperty(navigator, 'language', { get: () => 'sv-SE' });
  Object.defineProperty(navigator, 'languages', { get: () => ['sv-SE', 'sv'] });
} catch (e) {}
</script>"""
"""Put first in the app page's <head> by the server (``ui.server``), before Gradio's own scripts run."""

JS = """
() => {
  // The page is Swedish: screen readers and spell checkers should know.
  document.documentElement.lang = 'sv';
  // Ctrl+Enter (Cmd+Enter) in the message box sends, as in other chat tools.
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    if (!event.target.closest || !event.target.closest('#ua-message')) return;
    event.preventDefault();
    const send = document.querySelector('#ua-send');
    if (send) send.click();
  }, true);
  // A citation link [n] in the chat opens the passage in the sources panel: the link's key is put
  // into a hidden textbox whose input event the server answers.
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest("a[href^='#kalla-']");
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const key = link.getAttribute('href').slice('#kalla-'.length);
    const box = document.querySelector('#ua-cite-target textarea, #ua-cite-target input');
    if (!box) return;
    box.value = key + '|' + Date.now();
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }, true);
  // When a passage is shown, scroll its context box so the highlighted quote is in view.
  new MutationObserver(() => {
    const mark = document.querySelector('#ua-quote:not([data-seen])');
    if (!mark) return;
    mark.setAttribute('data-seen', '1');
    const box = mark.closest('.ua-context');
    if (box) box.scrollTop = Math.max(0, mark.offsetTop - 60);
  }).observe(document.body, { childList: true, subtree: true });
}
"""
