"""Plain helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from assistant.models import DocumentMetadata, ParsedDocument, Section
from assistant.settings import REPO_ROOT

SEED_DIR = REPO_ROOT / "knowledge" / "documents"
SEED_IDS = {
    "000": "000_53c14e9e9230afdf",
    "001": "001_d439524d20ce7a6b",
    "002": "002_e2fac3d16bc15df6",
    "003": "003_0856129ab23e5b56",
    "004": "004_7c0e77e509e4bfeb",
}


def seed_path(short: str) -> Path:
    """Path of a bundled seed document by its number, e.g. ``seed_path("002")``."""
    return SEED_DIR / f"{SEED_IDS[short]}.txt"


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_ok(url: str) -> Callable[[], bool]:
    """A readiness check: ``url`` answers 200."""

    def check() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                return resp.status == 200
        except OSError:
            return False

    return check


@contextmanager
def served(args: Sequence[str], ready: Callable[[], bool], log: Path, timeout: float = 120, **popen) -> Iterator[subprocess.Popen]:
    """Run a real server process for a test: wait until ``ready()``, always stop it afterwards.

    Its output goes to ``log``; a server that exits or is not ready in time fails with that log.
    """
    with log.open("w") as out:
        proc = subprocess.Popen(list(args), stdout=out, stderr=subprocess.STDOUT, **popen)
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{args[0]} did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.3)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


HEADINGS = (
    "Förvaltningens förslag till beslut",
    "Sammanfattning",
    "Bakgrund",
    "Ärendet",
    "Ärendets beredning",
    "Förvaltningens synpunkter och förslag",
    "Bilagor",
)


def document(text: str, doc_id: str = "doc", headings: tuple[str, ...] = HEADINGS) -> ParsedDocument:
    """A ParsedDocument over ``text`` whose sections start at lines equal to one of ``headings``."""
    found = [
        (m.start(1), m.end(), m.group(1))
        for m in re.finditer(r"(?m)^[ \t]*(.+?)[ \t]*$", text)
        if m.group(1) in headings
    ]
    sections = [
        Section(heading=h, canonical=h, start=a, end=found[i + 1][0] if i + 1 < len(found) else len(text), body_start=b)
        for i, (a, b, h) in enumerate(found)
    ]
    return ParsedDocument(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        metadata=DocumentMetadata(district="Skarpnäck", date="2024-04-18", kind="tjänsteutlåtande", parties=["L"]),
        sections=sections,
        text=text,
    )


def gate_failures(metrics: dict, limits: dict) -> list[str]:
    """What a regression gate reports: every metric not measured, below its ``min`` or above its ``max``."""
    failures = []
    for name, limit in limits.items():
        value = metrics.get(name)
        if value is None:
            failures.append(f"{name}: not measured")
        elif "min" in limit and value < limit["min"]:
            failures.append(f"{name} = {value:.3f} < min {limit['min']}")
        elif "max" in limit and value > limit["max"]:
            failures.append(f"{name} = {value:.3f} > max {limit['max']}")
    return failures
