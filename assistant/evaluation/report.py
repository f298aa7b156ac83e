"""``report.json`` and a self-contained ``report.html``; comparing two runs.

The HTML has no external references: plots are matplotlib PNGs embedded as base64, styles inline,
so the file can be mailed or attached to an issue as is.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Any

from assistant.evaluation.metrics import HIGHER_IS_BETTER
from assistant.fileio import atomic_write_text

LOO_METRICS = ("key_point_coverage", "rouge1_recall", "rouge1_f1", "rougeL_f1")


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def load_report(path: str | Path) -> dict[str, Any]:
    """Read ``report.json`` (or the ``report.json`` inside a run directory)."""
    path = Path(path)
    if path.is_dir():
        path = path / "report.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path}: rapporten finns inte") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: ogiltig JSON ({exc.msg})") from None


def metric_table(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows ``metric | <system> …`` (the assistant first), values rounded for display."""
    systems = report.get("systems") or {"assistent": {"metrics": report["metrics"]}}
    names = list(systems)
    rows = [[m, *[_fmt(systems[s]["metrics"].get(m)) for s in names]] for m in report["metrics"]]
    for m in LOO_METRICS:
        vals = [_loo_mean(systems[s].get("leave_one_out") or []).get(m) for s in names]
        if any(v is not None for v in vals):
            rows.append([f"leave_one_out_{m}", *[_fmt(v) for v in vals]])
    return ["mått", *names], rows


def _loo_mean(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for m in LOO_METRICS:
        vals = [r[m] for r in rows if r.get(m) is not None]
        out[m] = sum(vals) / len(vals) if vals else None
    return out


# --- plots ---------------------------------------------------------------------------------------
def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def plot_images(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(title, base64 PNG) for each plot: one bar chart per metric across systems, latency per case."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = report.get("systems") or {"assistent": {"metrics": report["metrics"]}}
    names = list(systems)
    metric_names = [m for m in report["metrics"] if any(systems[s]["metrics"].get(m) is not None for s in names)]
    images: list[tuple[str, str]] = []
    cols = 4
    rows = max(1, -(-len(metric_names) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.4 * rows), squeeze=False)
    colours = ["#1f5fa8", "#9aa5b1", "#c9a227", "#6a9955"]
    for ax, m in zip(axes.flat, metric_names):
        vals = [systems[s]["metrics"].get(m) or 0.0 for s in names]
        ax.bar(range(len(names)), vals, color=colours[: len(names)])
        ax.set_xticks(range(len(names)), names, rotation=30, fontsize=7)
        arrow = "↑" if HIGHER_IS_BETTER.get(m, True) else "↓"
        ax.set_title(f"{m} {arrow}", fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
        if max(vals) <= 1.0 and not m.startswith("latency"):  # shares
            ax.set_ylim(0, 1.05)
        else:  # seconds and counts
            ax.set_ylim(0, max(vals) * 1.15 or 1.0)
    for ax in list(axes.flat)[len(metric_names) :]:
        ax.axis("off")
    fig.tight_layout()
    images.append(("Mått per system", _png(fig)))

    cases = report["cases"]
    if cases:
        fig, ax = plt.subplots(figsize=(10, 2.8))
        ids = [c["id"] for c in cases]
        cov = [
            (sum(k["matched"] for k in c["key_points"]) / len(c["key_points"])) if c["key_points"] else float("nan")
            for c in cases
        ]
        ax.bar(range(len(ids)), cov, color="#1f5fa8")
        ax.set_xticks(range(len(ids)), ids, rotation=90, fontsize=6)
        ax.set_ylim(0, 1.05)
        ax.set_title("Täckning av nyckelpunkter per fall (assistenten)", fontsize=9)
        images.append(("Nyckelpunkter per fall", _png(fig)))

        fig, ax = plt.subplots(figsize=(10, 2.4))
        lat = [c["latency_s"] or 0.0 for c in cases]
        ax.bar(range(len(ids)), lat, color="#9aa5b1")
        ax.set_xticks(range(len(ids)), ids, rotation=90, fontsize=6)
        ax.set_ylabel("s", fontsize=8)
        ax.set_title("Svarstid per fall (assistenten)", fontsize=9)
        images.append(("Svarstid per fall", _png(fig)))
    return images


def plots_html(report: dict[str, Any]) -> str:
    return "".join(
        f'<figure><img alt="{html.escape(t)}" src="data:image/png;base64,{b}" style="max-width:100%"/>'
        f"<figcaption>{html.escape(t)}</figcaption></figure>"
        for t, b in plot_images(report)
    )


# --- HTML ----------------------------------------------------------------------------------------
def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _case_html(c: dict[str, Any]) -> str:
    kp = c.get("key_points") or []
    covered = sum(k["matched"] for k in kp)
    status = "FEL" if c.get("error") else ("vägrade" if c.get("refused") else "utkast")
    summary = (
        f"{html.escape(c['id'])} — {html.escape(str(c.get('district')))} — {status}; "
        f"nyckelpunkter {covered}/{len(kp)}; tid {_fmt(c.get('latency_s'))} s"
    )
    parts = [f"<details><summary>{summary}</summary>"]
    if c.get("error"):
        parts.append(f"<pre class=err>{html.escape(c['error'])}</pre>")
    missed = [k for k in kp if not k["matched"]]
    if missed:
        parts.append("<h4>Missade nyckelpunkter</h4><ul>" + "".join(f"<li>{html.escape(k['text'])} <small>({k['score']})</small></li>" for k in missed) + "</ul>")
    bad = [m for m in c.get("must_not") or [] if m["matched"]]
    if bad:
        parts.append("<h4>Felaktiga påståenden (must_not)</h4><ul>" + "".join(f"<li>{html.escape(m['text'])} ← <q>{html.escape(m['sentence'] or '')}</q></li>" for m in bad) + "</ul>")
    unanswered = [q for q in c.get("questions") or [] if not q["answered"]]
    if unanswered:
        parts.append("<h4>Obesvarade frågor</h4><ul>" + "".join(f"<li>{html.escape(q['text'])}</li>" for q in unanswered) + "</ul>")
    invalid = (c.get("citations") or {}).get("invalid") or []
    if invalid:
        parts.append("<h4>Ogiltiga hänvisningar</h4><ul>" + "".join(f"<li>[{i['id']}] {html.escape(str(i['doc_id']))}: {html.escape(i['reason'])}</li>" for i in invalid) + "</ul>")
    unsupported = (c.get("support") or {}).get("unsupported") or []
    if unsupported:
        parts.append("<h4>Meningar utan stöd i sin källa</h4><ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in unsupported) + "</ul>")
    missing_facts = [f for f in c.get("city_wide") or [] if not f["present"]]
    if missing_facts:
        parts.append("<h4>Stadsgemensamma fakta som saknas</h4><ul>" + "".join(f"<li>{html.escape(f['fact'])} <small>({html.escape(f['how'])})</small></li>" for f in missing_facts) + "</ul>")
    leaks = c.get("local_leaks") or []
    if leaks:
        parts.append(
            "<h4>Andra stadsdelars lokala uppgifter angivna som egna</h4><ul>"
            + "".join(f"<li>{html.escape(x['district'])}: <q>{html.escape(x['marker'])}</q> i <q>{html.escape(x['paragraph'])}</q></li>" for x in leaks)
            + "</ul>"
        )
    own = c.get("own_history")
    if own:
        parts.append(f"<p>Egna tidigare svar: {html.escape(', '.join(own['own']))}; citerade: {html.escape(', '.join(own['cited']) or 'inga')}</p>")
    positions = c.get("positions") or []
    if positions:
        parts.append(
            _table(
                ["att-sats", "föreslagen ståndpunkt", "majoritet i prejudikaten", "stämmer"],
                [[p["att_sats"], p["proposed"] or "–", " / ".join(p["majority"]), "ja" if p["agrees"] else "nej"] for p in positions],
            )
        )
    r = c.get("retrieval") or {}
    parts.append(
        f"<p>Relevanta: {html.escape(', '.join(r.get('relevant') or []) or '–')}; "
        f"hämtade: {html.escape(', '.join(r.get('ranked') or []))}; "
        f"citerade: {html.escape(', '.join(c.get('cited_documents') or []))}</p>"
    )
    if c.get("draft_markdown"):
        parts.append(f"<h4>Utkast</h4><pre>{html.escape(c['draft_markdown'])}</pre>")
    parts.append("</details>")
    return "".join(parts)


def _loo_html(report: dict[str, Any]) -> str:
    systems = report.get("systems") or {}
    rows = []
    for name, s in systems.items():
        for r in s.get("leave_one_out") or []:
            rows.append([name, r["target"], r.get("district"), r.get("key_point_coverage"), r.get("rouge1_recall"), r.get("rouge1_f1"), r.get("rougeL_f1"), ", ".join(r.get("cited_documents") or []), r.get("error")])
    if not rows:
        return "<p>Inga frågor i arkivet är besvarade av flera stadsdelar (eller gruppering saknas).</p>"
    return _table(["system", "dolt svar", "stadsdel", "nyckelpunkter", "ROUGE-1 R", "ROUGE-1 F1", "ROUGE-L F1", "citerade", "fel"], rows)


def _leaks_html(report: dict[str, Any]) -> str:
    """Every other-district local fact a draft stated as its own (the worst kind of error)."""
    leaks = report.get("local_fact_leaks")
    if leaks is None:
        return ""
    if not leaks:
        return "<h2>Lokala uppgifter från andra stadsdelar</h2><p>Inga: inget utkast anger en annan stadsdels lokala uppgift som sin egen.</p>"
    rows = [[x["case"], x["district"], x["marker"], x["paragraph"]] for x in leaks]
    return f"<h2>Lokala uppgifter från andra stadsdelar ({len(leaks)})</h2>" + _table(["fall", "stadsdel", "markör", "stycke"], rows)


def render_html(report: dict[str, Any]) -> str:
    headers, rows = metric_table(report)
    cases = "".join(_case_html(c) for c in report["cases"])
    style = (
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px}"
        "th{background:#eef2f6}pre{white-space:pre-wrap;background:#f7f7f7;padding:8px;font-size:12px}"
        ".err{color:#a00}details{margin:4px 0;border-bottom:1px solid #eee}summary{cursor:pointer}"
    )
    return (
        "<!doctype html><html lang=sv><head><meta charset=utf-8>"
        f"<title>Utvärdering {html.escape(str(report.get('benchmark')))}</title><style>{style}</style></head><body>"
        f"<h1>Utvärdering: {html.escape(str(report.get('benchmark')))}</h1>"
        f"<p>{report.get('n_cases')} fall, utkastskrivare <b>{html.escape(str(report.get('drafter')))}</b>, "
        f"körd {html.escape(str(report.get('created')))}. Måtten definieras i eval/README.md.</p>"
        f"<h2>Sammanfattning</h2>{_table(headers, rows)}"
        f"<h2>Diagram</h2>{plots_html(report)}"
        f"<h2>Leave-one-out mot verkliga svar</h2>{_loo_html(report)}"
        f"{_leaks_html(report)}"
        f"<h2>Fall</h2>{cases}</body></html>"
    )


def write_report(report: dict[str, Any], out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``report.json`` and ``report.html`` into ``out_dir`` (created); return both paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    json_path, html_path = out / "report.json", out / "report.html"
    atomic_write_text(json_path, json.dumps(report, ensure_ascii=False, indent=1))
    atomic_write_text(html_path, render_html(report))
    return json_path, html_path


# --- compare -------------------------------------------------------------------------------------
def compare_reports(a: dict[str, Any], b: dict[str, Any], tolerance: float = 1e-9) -> dict[str, Any]:
    """What changed from run ``a`` to run ``b``: metric deltas and the cases that got worse."""
    deltas = []
    for m in dict.fromkeys([*a["metrics"], *b["metrics"]]):
        va, vb = a["metrics"].get(m), b["metrics"].get(m)
        delta = vb - va if va is not None and vb is not None else None
        higher = HIGHER_IS_BETTER.get(m, True)
        worse = delta is not None and (delta < -tolerance if higher else delta > tolerance)
        deltas.append({"metric": m, "a": va, "b": vb, "delta": delta, "worse": worse})
    before = {c["id"]: c for c in a["cases"]}
    worse_cases = []
    for c in b["cases"]:
        old = before.get(c["id"])
        if old is None:
            continue
        reasons = []
        lost = {k["text"] for k in old["key_points"] if k["matched"]} - {k["text"] for k in c["key_points"] if k["matched"]}
        if lost:
            reasons.append(f"tappade nyckelpunkter: {'; '.join(sorted(lost))}")
        new_bad = {m["text"] for m in c["must_not"] if m["matched"]} - {m["text"] for m in old["must_not"] if m["matched"]}
        if new_bad:
            reasons.append(f"nya felaktiga påståenden: {'; '.join(sorted(new_bad))}")
        if old["refused"] == old["expect_refusal"] and c["refused"] != c["expect_refusal"]:
            reasons.append("fel vägran" if c["refused"] else "vägrade inte")
        if (old.get("retrieval") or {}).get("rr") and ((c.get("retrieval") or {}).get("rr") or 0) < old["retrieval"]["rr"]:
            reasons.append(f"sämre rang för relevant dokument (RR {old['retrieval']['rr']:.2f} → {c['retrieval']['rr'] or 0:.2f})")
        if c.get("error") and not old.get("error"):
            reasons.append("fel vid körning")
        if reasons:
            worse_cases.append({"id": c["id"], "reasons": reasons})
    return {"metrics": deltas, "worse_cases": worse_cases, "new_cases": sorted(set(x["id"] for x in b["cases"]) - set(before))}
