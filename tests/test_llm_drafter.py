"""The LLM drafter through a real llama.cpp server running gemma-3-270m (a base model).

gemma-270m writes poor Swedish and ignores instructions, so these tests check the mechanics –
streaming, parsing, citation checks, support flags, refusal without precedent – not the prose.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.helpers import SEED_IDS, seed_path

from assistant.draft.llm_drafter import LLMDrafter
from assistant.draft.verify import verify
from assistant.errors import ConfigurationError
from assistant.llm import make_chat_model
from assistant.models import Citation, Draft, Inquiry
from assistant.settings import Settings

SUPPORT_THRESHOLD = Settings().drafting.support_threshold

SNOW = "Skrivelse om snöröjning\n\n- Hur säkerställer nämnden att cykelbanorna snöröjs före klockan sju på vardagar?\n"




@pytest.fixture(scope="session")
def llm_assistant(seeded_assistant, llama_url):
    """The seeded data directory, drafting with the local model through ChatOpenAI."""
    from assistant.services import Assistant

    settings = Settings(
        data_dir=seeded_assistant.settings.data_dir,
        drafter="llm",
        llm_provider="openai",
        llm_base_url=llama_url,
        llm_max_tokens=48,
        llm_temperature=0.0,
    )
    return Assistant(settings)


@pytest.fixture(scope="session")
def streamed(llm_assistant):
    items = list(
        llm_assistant.stream_draft(
            seed_path("002").read_text(encoding="utf-8"), district="Hässelby-Vällingby", exclude_doc_ids=[SEED_IDS["000"]]
        )
    )
    return [i for i in items if isinstance(i, str)], items[-1]


def test_make_chat_model_from_settings(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="No LLM is configured"):
        make_chat_model(Settings(data_dir=tmp_path))
    missing = tmp_path / "nope.gguf"
    with pytest.raises(ConfigurationError, match=re.escape(str(missing))):
        make_chat_model(Settings(data_dir=tmp_path, llm_provider="llamacpp", llm_model_path=missing))
    with pytest.raises(ConfigurationError, match="ASSISTANT_LLM_MODEL"):
        make_chat_model(Settings(data_dir=tmp_path, llm_provider="ollama"))
    model = make_chat_model(Settings(data_dir=tmp_path, llm_provider="openai", llm_base_url="http://127.0.0.1:9/v1"))
    assert type(model).__name__ == "ChatOpenAI"


@pytest.mark.slow  # runs the local LLM (gemma-3-270m through llama.cpp)
def test_local_gguf_provider_streams(gemma_gguf: Path, tmp_path: Path) -> None:
    from langchain_core.messages import HumanMessage, SystemMessage

    model = make_chat_model(Settings(data_dir=tmp_path, llm_provider="llamacpp", llm_model_path=gemma_gguf, llm_max_tokens=16, llm_temperature=0.0))
    messages = [SystemMessage(content="Du skriver svenska."), HumanMessage(content="Skriv en mening om Stockholm.")]
    chunks = [c.content for c in model.stream(messages)]
    assert len([c for c in chunks if c]) >= 2


@pytest.mark.slow  # runs the local LLM (gemma-3-270m through llama.cpp)
def test_streams_tokens_then_a_verified_draft(streamed, llm_assistant) -> None:
    tokens, draft = streamed
    assert isinstance(draft, Draft) and draft.drafter == "llm"
    assert len(tokens) >= 5  # token by token, not one block
    assert draft.sections[0].paragraphs[0].text.startswith("Hässelby-Vällingby stadsdelsnämnd godkänner")
    ids = {c.id for c in draft.citations}
    for c in draft.citations:
        assert llm_assistant.store.get(c.doc_id).text[c.start : c.end] == c.quote
        assert c.doc_id != SEED_IDS["000"]
    raw_markers = {int(n) for n in re.findall(r"\[(\d+)\]", "".join(tokens))}
    for s in draft.sections:
        for p in s.paragraphs:
            assert set(p.citations) <= ids
            assert {int(n) for n in re.findall(r"\[(\d+)\]", p.text)} <= ids
            if p.role in ("content", "local"):
                ok = p.support is not None and p.support >= SUPPORT_THRESHOLD
                assert ok or any(f.kind == "unsupported" for f in p.flags), p.text
    if raw_markers - ids - set(range(1, 1 + len(ids))):
        assert any(f.kind == "invalid_citation" for f in draft.flags)


def test_model_output_is_parsed_and_bad_citations_removed(seeded_assistant) -> None:
    """Parsing and verification of a model answer that cites a passage it was never given."""
    doc = seeded_assistant.store.get(SEED_IDS["001"])
    start = doc.text.index("Socialtjänsten inhämtar inte per automatik")
    end = doc.text.index(".", start) + 1
    passage = Citation(
        id=1, source=doc.source, doc_id=doc.doc_id, district=doc.metadata.district, date=doc.metadata.date,
        section="Förvaltningens synpunkter och förslag", start=start, end=end, quote=doc.text[start:end],
    )
    output = (
        "## Sammanfattning\n\nSocialtjänsten inhämtar inte per automatik samtycke från vårdnadshavare att samtala med elevens skola. [1]\n\n"
        "## Förvaltningens synpunkter och förslag\n\nFråga 1: Hur arbetar socialtjänsten?\n\n"
        "Socialtjänsten har tolv skolsociala team i stadsdelen. [4]\n\n"
        "I Skarpnäck finns ett eget team för RSU-grupperna. [1]\n\n[FÖRVALTNINGENS SVAR]\n"
    )
    inquiry = Inquiry(text="Hur arbetar socialtjänsten?", kind="skrivelse", questions=["Hur arbetar socialtjänsten?"], district="Farsta")
    drafter = LLMDrafter(seeded_assistant, model=object())
    parsed = drafter.parse(output, inquiry, [passage], [])
    draft = verify(parsed, seeded_assistant.store, seeded_assistant.embeddings, allowed=[passage])
    summary = next(s for s in draft.sections if s.heading == "Sammanfattning").paragraphs
    assert summary[0].citations == [1] and not summary[0].flags
    answer = next(s for s in draft.sections if s.heading == "Förvaltningens synpunkter och förslag").paragraphs
    assert answer[0].role == "question"
    invented = answer[1]
    assert "[4]" not in invented.text and {"invalid_citation", "unsupported"} <= {f.kind for f in invented.flags}
    local = answer[2]
    assert local.role == "local" and any(f.kind == "att_bekrafta" for f in local.flags)
    assert answer[3].role == "placeholder"


@pytest.mark.slow  # runs the local LLM (gemma-3-270m through llama.cpp)
def test_refuses_without_precedent(llm_assistant) -> None:
    items = list(llm_assistant.stream_draft(SNOW, district="Farsta"))
    draft = items[-1]
    assert draft.no_precedent and draft.citations == [] and draft.drafter == "llm"
    assert "Inget prejudikat hittades" in "".join(items[:-1])


def test_no_precedent_never_calls_the_model(seeded_assistant, tmp_path: Path) -> None:
    """A chat model on a closed port fails if called; without precedent it must not be."""
    unreachable = make_chat_model(Settings(data_dir=tmp_path, llm_provider="openai", llm_base_url="http://127.0.0.1:9/v1"))
    drafter = LLMDrafter(seeded_assistant, model=unreachable)
    from assistant.draft.inquiry import analyse_inquiry

    items = list(drafter.stream(analyse_inquiry(SNOW, "Farsta"), []))
    assert len(items) == 1 and items[0].no_precedent and drafter.allowed == []
