"""``assistant eval run|compare|judge``: the evaluation harness from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from assistant.cli import app
from assistant.errors import BenchmarkError

eval_app = typer.Typer(help="Utvärdering: kör en benchmark, jämför två körningar, kontrollera stödbedömaren.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


def _fail(message: str) -> None:
    typer.echo(f"Fel: {message}", err=True)
    raise typer.Exit(code=2)


@eval_app.command("run")
def run(
    benchmark: Path = typer.Argument(..., help="Benchmark i JSONL (se eval/README.md)."),
    out: Path = typer.Option(..., "--out", help="Katalog för report.json och report.html."),
    drafter: str = typer.Option("precedent", "--drafter", help="precedent (utan LLM) eller llm."),
    baselines: bool = typer.Option(False, "--baselines", help="Kör också nyckelords-, vektor- och LangChain-baslinjerna."),
    leave_one_out: bool = typer.Option(True, "--leave-one-out/--no-leave-one-out", help="Jämför med verkliga svar."),
    llm_judge: bool = typer.Option(False, "--llm-judge", help="Lägg till LLM-bedömning (hoppas över utan konfigurerad LLM)."),
) -> None:
    """Run BENCHMARK and write DIR/report.json and DIR/report.html."""
    from tqdm import tqdm

    from assistant.services import benchmark_assistant, load_benchmark, metric_table, run_benchmark, write_report
    from assistant.settings import get_settings

    if drafter not in ("precedent", "llm"):
        _fail(f"--drafter måste vara precedent eller llm, inte {drafter!r}")
    try:
        cases = load_benchmark(benchmark)
    except BenchmarkError as exc:
        _fail(str(exc))
    settings = get_settings()
    if drafter == "llm" and settings.llm_provider == "none":
        _fail("--drafter llm kräver en konfigurerad LLM (ASSISTANT_LLM_PROVIDER)")
    # The benchmark's own index of its own archive: never the live knowledge base.
    ingest_bar = tqdm(total=1, unit="fil", desc="arkivet")

    def ingest_progress(done: int, total: int, name: str) -> None:
        ingest_bar.total = total
        ingest_bar.n = done
        ingest_bar.set_postfix_str(Path(name).name[:40])
        ingest_bar.refresh()

    try:
        assistant, report = benchmark_assistant(settings, cases[0].archive, progress=ingest_progress)
    except FileNotFoundError as exc:
        _fail(str(exc))
    ingest_bar.close()
    if not report.ok:
        _fail(f"benchmarkens arkiv kunde inte indexeras: {report.failed}")

    bar = tqdm(total=1, unit="fall", desc="utvärdering")

    def progress(done: int, total: int, label: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(label[:40])
        bar.refresh()

    result = run_benchmark(
        assistant, cases, drafter=drafter, baselines=baselines, leave_one_out=leave_one_out,
        llm_judge=llm_judge, progress=progress, benchmark=benchmark.name,
    )
    bar.close()
    if result["unknown_documents"]:
        typer.echo(f"Varning: dokument i benchmarken som inte finns i arkivet: {', '.join(result['unknown_documents'])}", err=True)
    for name, error in result["failed_systems"].items():
        typer.echo(f"Varning: baslinjen {name} kunde inte byggas: {error}", err=True)
    if llm_judge and result["llm_judge"] != "körd":
        typer.echo(f"LLM-bedömning {result['llm_judge']}", err=True)
    json_path, html_path = write_report(result, out)
    headers, rows = metric_table(result)
    width = max(len(r[0]) for r in rows)
    typer.echo("  ".join([headers[0].ljust(width), *[h.rjust(10) for h in headers[1:]]]))
    for r in rows:
        typer.echo("  ".join([r[0].ljust(width), *[str(v).rjust(10) for v in r[1:]]]))
    typer.echo(f"\n{json_path}\n{html_path}")


@eval_app.command("compare")
def compare(
    a: Path = typer.Argument(..., help="Tidigare körning (report.json eller dess katalog)."),
    b: Path = typer.Argument(..., help="Senare körning."),
    as_json: bool = typer.Option(False, "--json", help="Skriv resultatet som JSON."),
) -> None:
    """Show what changed from run A to run B: metric deltas and cases that got worse."""
    from assistant.services import compare_reports

    try:
        diff = compare_reports(a, b)
    except ValueError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(diff, ensure_ascii=False, indent=1))
        return
    for d in diff["metrics"]:
        fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
        delta = "" if d["delta"] is None else f"{d['delta']:+.3f}"
        typer.echo(f"{d['metric']:<28} {fmt(d['a']):>8} → {fmt(d['b']):>8}  {delta:>7}{'  SÄMRE' if d['worse'] else ''}")
    if diff["worse_cases"]:
        typer.echo("\nFall som blev sämre:")
        for c in diff["worse_cases"]:
            typer.echo(f"  {c['id']}: " + " | ".join(c["reasons"]))
    else:
        typer.echo("\nInga fall blev sämre.")


@eval_app.command("judge")
def judge(
    labels: Path = typer.Option(None, "--labels", help="Handmärkta par (standard eval/support_labels.jsonl)."),
) -> None:
    """Agreement of the citation-support judge and the key-point matcher with the hand-labelled pairs."""
    from assistant.services import judge_agreement
    from assistant.settings import get_settings

    try:
        result = judge_agreement(get_settings(), labels)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    typer.echo(json.dumps(result, indent=1))
