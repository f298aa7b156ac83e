"""The layering contract (``[tool.importlinter]`` in pyproject.toml): front ends go through the services.

``assistant.cli`` and ``assistant.ui`` may import ``assistant.services`` (and its feature modules),
``.models``, ``.settings`` and ``.errors`` and nothing else of the package directly. The contract is checked on the code as it is, and shown to
catch a breach on a copy of the package with one forbidden import added.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from assistant.settings import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the package in ``root`` (with its pyproject.toml), not on whatever is installed."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_front_ends_import_only_the_services_layer() -> None:
    done = _lint(REPO_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


import pytest


@pytest.mark.parametrize(
    ("module", "breach"),
    [("cli/draft.py", "assistant.cli.draft -> assistant.draft.render"), ("ui/review_tab.py", "assistant.ui.review_tab -> assistant.draft.render")],
)
def test_the_contract_catches_a_front_end_reaching_past_the_services(tmp_path: Path, module: str, breach: str) -> None:
    shutil.copy2(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(REPO_ROOT / "assistant", tmp_path / "assistant", ignore=shutil.ignore_patterns("__pycache__", "_data"))
    target = tmp_path / "assistant" / module
    target.write_text(target.read_text(encoding="utf-8") + "\nfrom assistant.draft.render import to_markdown\n", encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0 kept, 1 broken" in done.stdout
    assert breach in done.stdout
