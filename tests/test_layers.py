"""The layering contract (``[tool.importlinter]`` in pyproject.toml): front ends go through the services.

``assistant.cli`` may import ``assistant.services``, ``.models``, ``.settings`` and ``.errors`` and
nothing else of the package directly. The contract is checked on the code as it is, and shown to
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


def test_the_cli_imports_only_the_services_layer() -> None:
    done = _lint(REPO_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_the_contract_catches_a_cli_module_reaching_past_the_services(tmp_path: Path) -> None:
    shutil.copy2(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(REPO_ROOT / "assistant", tmp_path / "assistant", ignore=shutil.ignore_patterns("__pycache__", "_data"))
    draft_cli = tmp_path / "assistant" / "cli" / "draft.py"
    draft_cli.write_text(draft_cli.read_text(encoding="utf-8") + "\nfrom assistant.draft.render import to_markdown\n", encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0 kept, 1 broken" in done.stdout
    assert "assistant.cli.draft -> assistant.draft.render" in done.stdout
