"""Evaluation harness: benchmark format, runner, metrics, baselines, leave-one-out, report, gate.

See ``eval/README.md`` for the benchmark format and the definition of every metric.
"""

from assistant.evaluation.benchmark import BenchmarkCase, BenchmarkError, load_benchmark
from assistant.evaluation.runner import run_benchmark

__all__ = ["BenchmarkCase", "BenchmarkError", "load_benchmark", "run_benchmark"]
