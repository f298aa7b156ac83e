"""A non-editable ``pip install .`` works: prompts, registry and bundled documents come with the package.

The source is copied to a temporary folder (the build writes ``build/`` and ``*.egg-info`` next to
it) and installed with ``--no-deps --no-build-isolation`` into a fresh virtual environment whose
``.pth`` file adds this environment's site-packages for the dependencies: no network, a few seconds.
The check then runs from a folder outside the repository, so nothing can come from the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest

from assistant.settings import REPO_ROOT

pytestmark = pytest.mark.slow

CHECK = """
import assistant, json
from pathlib import Path
from assistant import registry
from assistant.resources import load_prompt
from assistant.settings import Settings

settings = Settings(data_dir=Path("data"))
print(json.dumps({
    "package": assistant.__file__,
    "prompt": load_prompt("draft_system.md", settings),
    "district": registry.canonical_district("Hégersten-Liljeholmens"),
    "current": registry.current_district("Hägersten-Liljeholmen"),
    "law": registry.law_abbreviation("Socialtjänstlagen"),
    "documents": sorted(p.name for p in (settings.knowledge_dir / "documents").iterdir()),
    "real_record": (registry.provenance(settings.knowledge_dir / "documents" / "000_53c14e9e9230afdf.txt") or {}).get("real_public_record"),
}))
"""


def _copy_source(dest: Path) -> Path:
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO_ROOT / name, dest / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("assistant", "prompts", "knowledge"):
        shutil.copytree(REPO_ROOT / name, dest / name, symlinks=True, ignore=ignore)
    return dest


def test_non_editable_install_carries_prompts_and_registry(tmp_path: Path) -> None:
    source = _copy_source(tmp_path / "source")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "PYTHON", "PIP_"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    install = subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--ignore-installed", "--no-index", str(source)],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    shutil.rmtree(source)  # nothing may be read from the copy the package was built from

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = subprocess.run([python, "-c", CHECK], env=env, cwd=outside, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert Path(result["package"]).is_relative_to(site)
    assert result["prompt"] == (REPO_ROOT / "prompts" / "draft_system.md").read_text(encoding="utf-8")
    assert (result["district"], result["current"], result["law"]) == ("Hägersten-Liljeholmen", "Hägersten-Älvsjö", "SoL")
    assert result["documents"] == sorted(p.name for p in (REPO_ROOT / "knowledge" / "documents").iterdir())
    assert result["real_record"] is True
