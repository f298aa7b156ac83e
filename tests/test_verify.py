"""Verification with the real store and embedding model: citations, support, unsupported flags."""

from __future__ import annotations

import pytest
from tests.helpers import SEED_IDS

from assistant.text import sentences
from assistant.draft.verify import support_score, verify
from assistant.settings import DraftingSettings
from assistant.models import Citation, Draft, DraftSection, Inquiry, Paragraph

SUPPORT_THRESHOLD = DraftingSettings().support_threshold


def _citation(store, cid: int, doc_short: str, needle: str) -> Citation:
    """A citation of the sentence of a seed that contains ``needle`` (exact offsets)."""
    doc = store.get(SEED_IDS[doc_short])
    span = next(s for s in sentences(doc.text) if needle in " ".join(s.text.split()))
    return Citation(
        id=cid,
        source=doc.source,
        doc_id=doc.doc_id,
        district=doc.metadata.district,
        date=doc.metadata.date,
        section="Förvaltningens synpunkter och förslag",
        start=span.start,
        end=span.end,
        quote=doc.text[span.start : span.end],
    )


@pytest.fixture(scope="module")
def draft(seeded_assistant) -> Draft:
    store = seeded_assistant.store
    good = _citation(store, 1, "001", "Socialtjänsten får inte automatiskt information")
    other = _citation(store, 2, "001", "Förvaltningen arbetar utifrån Gemensam arbetsmodell")
    tampered = other.model_copy(update={"id": 3, "quote": other.quote + " Och alla elever får extra stöd."})
    paragraphs = [
        Paragraph(text="Socialtjänsten får inte automatiskt information om när en elev placeras i RSU- eller CSU grupp. [1]", citations=[1]),
        Paragraph(text="Stadsdelen har anställt 12 nya skolkuratorer under våren. [2]", citations=[2]),
        Paragraph(text="Förvaltningen arbetar utifrån stadens gemensamma arbetsmodell för skolsociala team. [7]", citations=[7]),
        Paragraph(text="Samverkan sker enligt stödmaterialet. [3]", citations=[3]),
        Paragraph(text="Socialtjänsten har ett särskilt team för hemmasittare i varje skola."),
        Paragraph(text="Fråga 1: Hur arbetar socialtjänsten?", role="question"),
    ]
    raw = Draft(
        district="Farsta",
        inquiry=Inquiry(text="x"),
        sections=[DraftSection(heading="Förvaltningens synpunkter och förslag", paragraphs=paragraphs)],
        citations=[good, other, tampered],
    )
    return verify(raw, store, seeded_assistant.embeddings)


def _flags(p: Paragraph) -> set[str]:
    return {f.kind for f in p.flags}


def test_quoted_sentence_is_supported(draft: Draft) -> None:
    p = draft.sections[0].paragraphs[0]
    assert _flags(p) == set()
    assert p.support is not None and p.support >= SUPPORT_THRESHOLD


def test_invented_fact_citing_a_real_passage_is_unsupported(draft: Draft) -> None:
    p = draft.sections[0].paragraphs[1]
    assert "unsupported" in _flags(p)
    assert p.support < SUPPORT_THRESHOLD


def test_citation_to_a_passage_that_was_not_retrieved_is_removed(draft: Draft) -> None:
    p = draft.sections[0].paragraphs[2]
    assert "invalid_citation" in _flags(p)
    assert "[7]" not in p.text and p.citations == []
    assert "unsupported" in _flags(p)  # nothing left to support it


def test_citation_whose_quote_differs_from_the_stored_text_is_invalid(draft: Draft) -> None:
    assert [c.id for c in draft.citations] == [1, 2]
    p = draft.sections[0].paragraphs[3]
    assert "invalid_citation" in _flags(p) and "[3]" not in p.text


def test_factual_sentence_without_citation_is_unsupported(draft: Draft) -> None:
    assert "unsupported" in _flags(draft.sections[0].paragraphs[4])


def test_restated_question_is_not_checked(draft: Draft) -> None:
    assert draft.sections[0].paragraphs[5].flags == []


def test_draft_level_flags_collect_paragraph_problems(draft: Draft) -> None:
    kinds = [f.kind for f in draft.flags]
    assert "unsupported" in kinds and "invalid_citation" in kinds


def test_support_score_rejects_numbers_absent_from_the_evidence(seeded_assistant) -> None:
    evidence = "Regeringen ger Stockholms stad 25 miljoner kronor årligen för skolsociala team."
    assert support_score("Stockholms stad får 25 miljoner kronor årligen för skolsociala team.", evidence) >= SUPPORT_THRESHOLD
    assert support_score("Stockholms stad får 40 miljoner kronor årligen för skolsociala team.", evidence, seeded_assistant.embeddings) < SUPPORT_THRESHOLD
