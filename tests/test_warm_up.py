"""The start-up warm-up: after it, the first draft loads nothing more, and the warm-up writes nothing.

Run in a fresh Python process (a restart): in the test session the word lists and modules are
already loaded by other tests, so checking them here would prove nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from assistant.settings import REPO_ROOT
from tests.helpers import SEED_DIR

CHILD = r"""
import json, sys
from assistant.services import Assistant
from assistant.settings import Settings
from assistant.index import keyword
from assistant.ingest import ocr_candidates

a = Assistant(Settings(data_dir=sys.argv[1]))
loaded = lambda: [ocr_candidates._lexicon.cache_info().currsize, keyword._lexicon.cache_info().currsize]
before = loaded()
a.warm_up()
after = loaded()
modules = set(sys.modules)
misses = [ocr_candidates._lexicon.cache_info().misses, keyword._lexicon.cache_info().misses]
a.draft(open(sys.argv[2], encoding="utf-8").read(), district="Farsta")
print(json.dumps({
    "before": before,
    "after": after,
    "lexicon_loads_in_draft": [ocr_candidates._lexicon.cache_info().misses, keyword._lexicon.cache_info().misses] != misses,
    "modules_loaded_by_draft": sorted(m for m in set(sys.modules) - modules if m.startswith("assistant")),
}))
"""


def _files(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def test_warm_up_loads_what_the_first_draft_needs_and_writes_nothing(seeded_assistant) -> None:
    data = seeded_assistant.settings.data_dir
    inquiry = next(SEED_DIR.glob("002*"))
    # The warm-up alone, in its own process, must leave the data directory as it was.
    warm_only = "import sys; from assistant.services import Assistant; from assistant.settings import Settings; Assistant(Settings(data_dir=sys.argv[1])).warm_up()"
    before = _files(data)
    run = subprocess.run([sys.executable, "-c", warm_only, str(data)], capture_output=True, text=True, cwd=REPO_ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    changed = {k for k in set(before) | set(_files(data)) if before.get(k) != _files(data).get(k)}
    # Chroma catches its HNSW files up with its write-ahead log when a process opens it: its own housekeeping.
    assert not {k for k in changed if not k.startswith("index/chroma/")}, changed
    run = subprocess.run([sys.executable, "-c", CHILD, str(data), str(inquiry)], capture_output=True, text=True, cwd=REPO_ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["before"] == [0, 0]
    assert out["after"] == [1, 1]
    assert out["lexicon_loads_in_draft"] is False
    assert out["modules_loaded_by_draft"] == [], out["modules_loaded_by_draft"]
