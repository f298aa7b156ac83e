"""The benchmark format: one JSON object per line, one case per object (see ``eval/README.md``).

A case says what a good answer to an inquiry looks like without fixing its wording: which precedents
it should cite, which facts it should state, which claims would be wrong, and whether the honest
answer is a refusal ("Inget prejudikat hittades"). Unknown fields are ignored so a benchmark can
carry notes for humans.
"""

from __future__ import annotations

import json
from pathlib import Path

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import BenchmarkError
from assistant.settings import REPO_ROOT

BENCHMARK_DIR = REPO_ROOT / "eval" / "benchmarks"


CaseType = Literal["new_district", "follow_up", "out_of_scope", "other"]
Position = Literal["delar", "delar delvis", "delar inte"]
DEFAULT_ARCHIVE = ("knowledge/documents",)


class CityWideFact(BaseModel):
    """A fact the topic's answers state for the whole city, with how each answer words it."""

    fact: str
    markers: list[str] = Field(description="Verbatim markers, one per answer stating it (different words).")


class LocalMarker(BaseModel):
    """A verbatim marker of one district's own local fact (unit, figure, place, partner, plan)."""

    district: str
    document: str
    marker: str


class PositionGold(BaseModel):
    """The precedents' positions on one att-sats; the majority is what a draft should propose."""

    att_sats: str
    precedents: dict[str, Position] = Field(description="District → its position (delar / delar delvis / delar inte).")

    @property
    def majority(self) -> set[str]:
        """The most frequent position(s); a tie keeps every tied position."""
        counts: dict[str, int] = {}
        for p in self.precedents.values():
            counts[p] = counts.get(p, 0) + 1
        top = max(counts.values(), default=0)
        return {p for p, n in counts.items() if n == top}


class BenchmarkCase(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    inquiry: str = Field(min_length=1, description="The inquiry text as received (may be OCR-damaged).")
    district: str | None = Field(None, description="Receiving district the answer is drafted for.")
    kind: str = "skrivelse"
    relevant_documents: list[str] = Field(
        default_factory=list, description="File names or doc ids of precedents a good answer cites."
    )
    key_points: list[str] = Field(default_factory=list, description="Short facts a good answer contains.")
    must_not: list[str] = Field(default_factory=list, description="Claims that would be wrong in the answer.")
    expect_refusal: bool = False
    exclude_documents: list[str] = Field(
        default_factory=list, description="Doc ids or file names hidden from retrieval (leave-one-out)."
    )
    # --- archive benchmarks (eval/archive): gold labels per case --------------------------------
    archive: list[str] = Field(
        default_factory=lambda: list(DEFAULT_ARCHIVE),
        description="Folders (relative to the repository) the benchmark's own index is built from.",
    )
    topic: str | None = None
    case_type: CaseType = "other"
    city_wide_facts: list[CityWideFact] = Field(default_factory=list)
    local_markers: list[LocalMarker] = Field(
        default_factory=list, description="Other districts' local facts: never stated as the district's own."
    )
    own_documents: list[str] = Field(
        default_factory=list, description="The receiving district's own earlier answers (follow-ups): a draft cites them."
    )
    positions: list[PositionGold] = Field(default_factory=list, description="Per att-sats, the precedents' positions.")


def load_benchmark(path: str | Path) -> list[BenchmarkCase]:
    """Read a JSONL benchmark; blank lines and lines starting with ``#`` or ``//`` are skipped.

    Raises :class:`BenchmarkError` naming the file and line on the first bad case, so nothing is
    evaluated against a half-read benchmark.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise BenchmarkError(path, "filen finns inte") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BenchmarkError(path, f"kan inte läsas ({exc})") from None
    cases: list[BenchmarkCase] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "//")):
            continue
        try:
            case = BenchmarkCase.model_validate(json.loads(stripped))
        except json.JSONDecodeError as exc:
            raise BenchmarkError(path, f"rad {number}: ogiltig JSON ({exc.msg})") from None
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            raise BenchmarkError(path, f"rad {number}: {problems}") from None
        if case.id in seen:
            raise BenchmarkError(path, f"rad {number}: id {case.id!r} förekommer två gånger")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise BenchmarkError(path, "innehåller inga fall")
    archives = {tuple(c.archive) for c in cases}
    if len(archives) > 1:
        raise BenchmarkError(path, f"fallen anger olika arkiv ({sorted(archives)}): en benchmark har ett arkiv")
    return cases


def available_benchmarks(directory: Path = BENCHMARK_DIR) -> list[Path]:
    """The benchmark files shipped in ``eval/benchmarks``, sorted by name."""
    return sorted(directory.glob("*.jsonl"))
