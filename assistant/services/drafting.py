"""The drafting pipeline's text rules as the front ends need them, without reaching into it.

What an inquiry asks and who it is to (:func:`analyse_inquiry`), its date and title as the parser
reads them (:func:`inquiry_metadata`), redaction, district names, flag labels, and the edits that go
through the draft service and ``verify`` (a section quoted from precedent, a language model's free
edit). Thin and delegating: the rules live in ``assistant.draft``, ``assistant.ingest`` and
``assistant.registry``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.models import Citation, Draft, DocumentMetadata, Inquiry

if TYPE_CHECKING:
    from assistant.services import Assistant


def analyse_inquiry(text: str, district: str | None = None) -> Inquiry:
    """Questions, att-satser, kind, parties, receiving district and recipient of an inquiry."""
    from assistant.draft.inquiry import analyse_inquiry as analyse

    return analyse(text, district)


def inquiry_metadata(text: str) -> DocumentMetadata:
    """What the parser reads from a text's header: title, date, diarienummer, district, kind."""
    from assistant.ingest.parser import parse

    return parse(text)[0]


def redacted(text: str) -> str:
    """``text`` with every personnummer and samordningsnummer replaced by a marker."""
    from assistant.ingest.redact import redacted as redact

    return redact(text)


def redact_logs() -> None:
    """Redact every log record of the process (see ``ingest.redact.RedactingFilter``)."""
    from assistant.ingest.redact import redact_logs as install

    install()


def district_names() -> list[str]:
    from assistant.registry import districts

    return list(districts())


def find_districts(text: str) -> list[str]:
    """Canonical names of the districts ``text`` mentions (former names included)."""
    from assistant.registry import find_districts as find

    return find(text)


def current_district(name: str | None) -> str | None:
    """The district a name stands for today (a former district's successor)."""
    from assistant.registry import current_district as current

    return current(name)


def flag_labels() -> dict[str, str]:
    """Flag kind → the Swedish label shown beside it."""
    from assistant.draft.render import FLAG_LABELS

    return dict(FLAG_LABELS)


def add_section(assistant: Assistant, draft: Draft, found: list[Citation], district: str | None) -> Draft:
    """``draft`` with a section quoted from precedent, flagged and verified (see ``draft.service``)."""
    from assistant.draft.service import add_section as add

    return add(assistant, draft, found, district)


def revise(assistant: Assistant, draft: Draft, markdown: str) -> Draft:
    """A language model's free edit of ``draft`` as a verified draft again."""
    from assistant.draft.service import revise as rewrite

    return rewrite(assistant, draft, markdown)


def chat_model(assistant: Assistant):
    """The configured LangChain chat model, or None when no language model is configured."""
    from assistant.llm import make_chat_model

    return make_chat_model(assistant.settings)


def export_markdown_docx(markdown: str, path: str | Path, **letter: Any) -> Path:
    """A hand-edited version as the city's Word document (see ``draft.export_docx``)."""
    from assistant.draft.export_docx import export_markdown_docx as export

    return export(markdown, path, **letter)
