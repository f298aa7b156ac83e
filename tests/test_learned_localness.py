"""The learned second opinion on local sentences: what it was trained on, what it reads, where it acts.

Its figures (cross-validated over whole topics of the tuning half) are in
``eval/results/localness_tune.json`` and ``eval/README.md``; these tests hold its provenance and its
place in the classification, on sentences of topics the archive does not have.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant.draft import adapt
from assistant.draft.learned_localness import LocalnessModel, bundled_model
from assistant.draft.localness import Classifier
from assistant.draft.quotable import Candidate
from assistant.errors import ConfigurationError
from assistant.models import DocumentMetadata, ParsedDocument
from assistant.settings import DraftingSettings
from assistant.text import Span

REPO = Path(__file__).resolve().parent.parent


def test_the_shipped_model_was_trained_on_the_tuning_half_only_with_the_threshold_its_script_chose() -> None:
    split = json.loads((REPO / "eval" / "archive" / "split.json").read_text(encoding="utf-8"))["topics"]
    provenance = bundled_model().provenance
    assert provenance["topics"] and set(provenance["topics"]) <= set(split["tune"])
    assert not set(provenance["topics"]) & set(split["heldout"])
    result = json.loads((REPO / "eval" / "results" / "localness_tune.json").read_text(encoding="utf-8"))
    assert provenance["threshold"] == result["chosen"]["threshold"] == DraftingSettings().learned_local_min


def test_it_reads_the_genre_a_dated_deed_of_one_forvaltning_against_a_rule_of_law() -> None:
    """Topics the archive has no document on: what one förvaltning did, counted and dated, scores
    high; what the law or the city requires of every nämnd scores low."""
    local = [
        "Under hösten 2023 har förvaltningen haft två träffar med båtklubbarna vid Magelungen om bryggornas skick.",
        "Vi har sedan januari 2024 en anställd som två dagar i veckan besöker biblioteket i Rågsved.",
    ]
    city = [
        "Enligt socialtjänstlagen ska socialnämnden verka för att barn och unga växer upp under trygga förhållanden.",
        "Stadens budget anger att nämnderna ska arbeta för ökad trygghet i offentliga miljöer.",
    ]
    p_local, p_city = bundled_model().probability(local), bundled_model().probability(city)
    assert min(p_local) >= DraftingSettings().learned_local_min, p_local
    assert max(p_city) < 0.5, p_city


def _candidate(text: str, district: str = "Farsta") -> Candidate:
    doc = ParsedDocument(doc_id="doc-1", source="svar.txt", content_hash="0", text=text, sections=[], metadata=DocumentMetadata(district=district, title="Svar"))
    return Candidate(doc=doc, span=Span(0, len(text), text), section="Förvaltningens synpunkter och förslag")


def _classifier(**thresholds) -> Classifier:
    features = SimpleNamespace(shared_names=lambda: frozenset({"rsu"}))
    assistant = SimpleNamespace(index=SimpleNamespace(archive_features=lambda store: features), store=None)
    return Classifier(assistant, DraftingSettings(**thresholds))


def test_a_sentence_the_rules_read_as_the_citys_is_confirmed_when_the_model_reads_it_as_one_forvaltnings() -> None:
    """A local state ("for now there is no …") that names only a shared name passes every rule; the
    model asks for it to be confirmed. Turned off (threshold above 1) it is stated as before; a law's
    requirement is stated either way, and so is a heading too short to read."""
    state = "För närvarande finns ingen särskild samverkansstruktur kring RSU-grupper specifikt."
    law = "Enligt skollagen ska varje elev ges det stöd som eleven behöver för att nå kunskapskraven."
    assert not adapt.classify(state, "Farsta").local  # the rules alone: the city's
    verdict = _classifier().classify(_candidate(state))
    assert verdict.local and verdict.reason == adapt.LEARNED_REASON
    assert not _classifier(learned_local_min=1.01).classify(_candidate(state)).local
    assert not _classifier().classify(_candidate(law)).local
    assert _classifier().learned_local("Ärendet") == 0.0


def test_a_damaged_model_file_is_a_clear_error_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "localness_model.json.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(ConfigurationError, match="localness_model.json.gz"):
        LocalnessModel.load(broken)
