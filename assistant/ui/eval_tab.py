"""The evaluation tab (utvärderare): run a benchmark, see the metric table and plots, download the report.

Mounted by the app inside its ``gr.Blocks``::

    with gr.Tab("Utvärdering"):
        build_eval_tab(assistant, can_run=lambda request: has_role(request, "utvärderare", "admin"))

The run button is guarded on the server: ``can_run(request)`` is checked inside the handler, so
hiding the button in the browser is not what protects it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.errors import BenchmarkError
from assistant.services import available_benchmarks, load_benchmark

DENIED = "Endast användare med rollen utvärderare eller admin får köra utvärderingar."


def _metric_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """Rows ``metric | system1 | system2 …`` for the table, our drafter first."""
    from assistant.services import metric_table

    return metric_table(report)


LOO_COLUMNS = ["system", "dolt svar", "stadsdel", "nyckelpunkter", "ROUGE-1 R", "ROUGE-L F1", "citerade"]


def loo_rows(report: dict[str, Any]) -> list[list[Any]]:
    """One row per system and hidden answer (see eval/README.md, leave-one-out)."""
    def fmt(v: float | None) -> str:
        return "–" if v is None else f"{v:.3f}"

    return [
        [name, r["target"], r.get("district"), fmt(r.get("key_point_coverage")), fmt(r.get("rouge1_recall")),
         fmt(r.get("rougeL_f1")), ", ".join(r.get("cited_documents") or [])]
        for name, system in (report.get("systems") or {}).items()
        for r in system.get("leave_one_out") or []
    ]


def build_eval_tab(assistant: Any, can_run: Callable[[gr.Request], bool] | None = None) -> None:
    """Build the tab's components in the current ``gr.Blocks`` context."""
    choices = [p.name for p in available_benchmarks()]
    gr.Markdown(
        "### Utvärdering\nKör en benchmark mot assistenten och jämför med baslinjerna. "
        "Måtten förklaras i `eval/README.md`."
    )
    with gr.Row():
        bench = gr.Dropdown(choices=choices, value=choices[0] if choices else None, label="Benchmark")
        upload = gr.File(label="…eller ladda upp en egen (.jsonl)", file_types=[".jsonl"], type="filepath")
    with gr.Row():
        drafter = gr.Radio(["precedent", "llm"], value="precedent", label="Utkastskrivare")
        baselines = gr.Checkbox(value=False, label="Jämför med baslinjer (nyckelord, vektor, LangChain)")
        llm_judge = gr.Checkbox(value=False, label="LLM-bedömning (kräver konfigurerad LLM)")
        run = gr.Button("Kör utvärdering", variant="primary")
    status = gr.Markdown()
    table = gr.Dataframe(label="Mått", interactive=False)
    loo = gr.Dataframe(label="Leave-one-out mot verkliga svar", interactive=False)
    plots = gr.HTML()
    files = gr.File(label="Rapport", file_count="multiple", interactive=False)

    def _run(
        bench_name: str | None,
        uploaded: str | None,
        drafter_name: str,
        with_baselines: bool,
        with_llm_judge: bool,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),
    ):
        if can_run is not None and not can_run(request):
            raise gr.Error(DENIED)
        from assistant.services import benchmark_assistant, plots_html, run_benchmark, write_report

        if uploaded:
            path = Path(uploaded)
        else:
            # Only the shipped benchmarks by name: a free path would read any file on the server.
            path = next((p for p in available_benchmarks() if p.name == bench_name), None)
            if path is None:
                raise gr.Error("Välj en benchmark i listan eller ladda upp en egen (.jsonl).")
        try:
            cases = load_benchmark(path)
        except BenchmarkError as exc:
            raise gr.Error(f"Benchmarken kan inte läsas: {exc}") from None

        def _progress(done: int, total: int, label: str) -> None:
            progress((done, total), desc=label)

        # The benchmark's own index of its own archive: never the live knowledge base.
        try:
            bench_assistant, ingested = benchmark_assistant(
                assistant.settings, cases[0].archive, progress=lambda d, t, name: progress((d, t), desc=f"arkivet: {Path(name).name}"),
                inside_repo_only=True,
            )
        except FileNotFoundError as exc:
            raise gr.Error(str(exc)) from None
        if not ingested.ok:
            raise gr.Error(f"Benchmarkens arkiv kunde inte indexeras: {ingested.failed}")
        report = run_benchmark(
            bench_assistant,
            cases,
            drafter=drafter_name,
            baselines=with_baselines,
            llm_judge=with_llm_judge,
            progress=_progress,
            benchmark=path.name,
        )
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        out = Path(tempfile.mkdtemp(prefix=f"eval-{stamp}-"))
        json_path, html_path = write_report(report, out)
        headers, rows = _metric_rows(report)
        n = len(report["cases"])
        note = f" LLM-bedömning {report['llm_judge']}." if with_llm_judge and report["llm_judge"] != "körd" else ""
        return (
            f"Klar: {n} fall från `{path.name}` ({drafter_name}).{note}",
            pd.DataFrame(rows, columns=headers),
            pd.DataFrame(loo_rows(report), columns=LOO_COLUMNS),
            plots_html(report),
            [str(html_path), str(json_path)],
        )

    run.click(
        _run,
        inputs=[bench, upload, drafter, baselines, llm_judge],
        outputs=[status, table, loo, plots, files],
        api_name="eval_run",
    )
