"""Prompts and registry data ship inside the package, load in one place and can be replaced by a setting."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.draft.llm_drafter import LLMDrafter
from assistant.errors import ConfigurationError
from assistant.models import Inquiry
from assistant.resources import load_prompt
from assistant.services import Assistant
from assistant.settings import REPO_ROOT, Settings


def test_the_package_serves_the_repositorys_prompts_and_knowledge(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    prompts = sorted((REPO_ROOT / "prompts").glob("*.md"))
    assert prompts
    for path in prompts:
        assert load_prompt(path.name, settings) == path.read_text(encoding="utf-8")
    documents = REPO_ROOT / "knowledge" / "documents"
    assert sorted(p.name for p in (settings.knowledge_dir / "documents").iterdir()) == sorted(p.name for p in documents.iterdir())
    for name in ("districts.json", "glossary.json"):
        assert (settings.registry_dir / name).read_bytes() == (REPO_ROOT / "knowledge" / "registry" / name).read_bytes()


def test_prompts_dir_replaces_the_drafters_prompts(tmp_path: Path) -> None:
    own = tmp_path / "prompts"
    own.mkdir()
    (own / "draft_system.md").write_text("Egen systemprompt.", encoding="utf-8")
    (own / "draft_user.md").write_text("Till {district} ({kind}):\n{points}\n{passages}", encoding="utf-8")
    drafter = LLMDrafter(Assistant(Settings(data_dir=tmp_path / "data", prompts_dir=own)))
    inquiry = Inquiry(text="Skrivelse", kind="skrivelse", district="Farsta")
    system, user = drafter.messages(inquiry, ["Hur ser stödet ut?"], [])
    assert system.content == "Egen systemprompt."
    assert user.content == "Till Farsta stadsdelsnämnd (skrivelse):\n1. Hur ser stödet ut?\n"


def test_a_missing_prompt_names_the_file_and_the_setting(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, prompts_dir=tmp_path / "inga")
    with pytest.raises(ConfigurationError, match=r"inga/draft_system\.md.*ASSISTANT_PROMPTS_DIR"):
        load_prompt("draft_system.md", settings)
    with pytest.raises(ValueError, match="file name"):
        load_prompt("../knowledge/README.md", settings)


def test_registry_dir_replaces_the_districts(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(REPO_ROOT / "knowledge" / "registry", registry)
    data = json.loads((registry / "districts.json").read_text(encoding="utf-8"))
    data["districts"].append({"name": "Testby", "current": True, "variants": [], "dnr_prefixes": ["TB"]})
    (registry / "districts.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    script = (
        "from assistant import registry as r; "
        "print(r.canonical_district('Testbys'), r.canonical_district('Skarpnäcks'), r.district_for_diarienummer('TB 2024/1'))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}

    def run(**extra: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", script], env={**env, **extra}, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert run(ASSISTANT_REGISTRY_DIR=str(registry)) == "Testby Skarpnäck Testby"
    assert run() == "None Skarpnäck None"
