"""The citation-support judge agrees with the hand-labelled pairs (real embedding model)."""

from __future__ import annotations

import pytest

from assistant.evaluation.judge import SupportJudge, claim_text, judge_agreement, load_support_labels, matcher_agreement
from assistant.evaluation.similarity import Matcher
from assistant.index.embeddings import make_embeddings
from assistant.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def judge() -> SupportJudge:
    return SupportJudge(make_embeddings(Settings()))


def test_labelled_set_is_balanced_enough() -> None:
    labels = load_support_labels()
    assert len(labels) >= 20
    assert 0.3 <= sum(x.supported for x in labels) / len(labels) <= 0.7


def test_judge_agrees_with_people(judge: SupportJudge) -> None:
    result = judge_agreement(judge, load_support_labels())
    assert result["accuracy"] >= 0.75, result
    assert result["kappa"] >= 0.5, result
    assert result["recall"] >= 0.9, result  # verbatim and adapted precedent sentences must pass


def test_key_point_matcher_agrees_with_people(judge: SupportJudge) -> None:
    result = matcher_agreement(Matcher(judge.embeddings), load_support_labels())
    assert result["accuracy"] >= 0.85 and result["kappa"] >= 0.7, result
    assert result["recall"] == 1.0, result  # a stated key point is never reported missed


def test_claim_text_drops_markers_and_reviewer_prefix(judge: SupportJudge) -> None:
    quote = "Socialtjänsten behöver samtycke för att kunna lämna ut information till skolorna i enskilda ärenden."
    wrapped = f"Att bekräfta för Farsta: I Hässelby-Vällingby anger förvaltningen att ”{quote}” [3]"
    assert claim_text("Socialtjänsten behöver samtycke [2].") == "Socialtjänsten behöver samtycke."
    assert judge.supports(quote + " [1]", [quote])
    assert judge.score(wrapped, [quote]) > judge.score("Skolan ansvarar för snöröjningen.", [quote])
    assert not judge.supports("Snöröjningen av cykelbanor sker inom tolv timmar.", [quote])


def test_eval_judge_cli_prints_both_agreements(judge: SupportJudge, tmp_path, monkeypatch, request) -> None:
    import json

    from typer.testing import CliRunner

    from assistant.cli import _register, app
    from assistant.settings import get_settings

    _register()
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    result = CliRunner().invoke(app, ["eval", "judge"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed["support_judge"] == json.loads(json.dumps(judge_agreement(judge, load_support_labels())))
    assert set(printed["key_point_matcher"]) >= {"accuracy", "kappa", "recall"}
    missing = CliRunner().invoke(app, ["eval", "judge", "--labels", str(tmp_path / "saknas.jsonl")])
    assert missing.exit_code == 2 and "saknas.jsonl" in missing.output
