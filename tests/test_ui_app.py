"""App-level guards that need no browser: upload type and size checks, exports inside the data dir."""

from __future__ import annotations

import gradio as gr
import pytest

from assistant.models import Draft, DraftSection, Inquiry, Paragraph
from assistant.review.auth import User, UserStore
from assistant.review.db import ReviewStore
from assistant.services import Assistant
from assistant.settings import AppSettings, Settings
from assistant.ui.chat_tab import _read_upload
from assistant.ui.context import AppContext


@pytest.fixture
def ctx(tmp_path) -> AppContext:
    settings = Settings(data_dir=tmp_path / "data", app=AppSettings(max_upload_mb=0.01))
    return AppContext(Assistant(settings), UserStore(settings.resolved_users_file), ReviewStore(settings.db_path), None)


def test_upload_type_and_size_are_checked(ctx, tmp_path):
    exe = tmp_path / "skrivelse.exe"
    exe.write_bytes(b"MZ\x90\x00")
    with pytest.raises(gr.Error, match=r"skrivelse\.exe.*\.exe stöds inte"):
        _read_upload(ctx, str(exe))
    big = tmp_path / "stor.txt"
    big.write_text("Skrivelse om fågelholkar. " * 1000, encoding="utf-8")  # ~26 kB > 10 kB
    with pytest.raises(gr.Error, match="stor.txt"):
        _read_upload(ctx, str(big))
    ok = tmp_path / "liten.txt"
    ok.write_text("Skrivelse till Farsta stadsdelsnämnd om fågelholkar.", encoding="utf-8")
    assert "fågelholkar" in _read_upload(ctx, str(ok))


def test_word_export_stays_in_the_data_dir(ctx):
    draft = Draft(
        district="Farsta",
        inquiry=Inquiry(text="Hur sätts holkarna upp?", title="Fågelholkar"),
        sections=[DraftSection(heading="Ärendet", paragraphs=[Paragraph(text="Holkarna sätts upp på våren.")])],
        citations=[],
    )
    path = ctx.export_docx(draft, User("../../etc/anna", "handläggare"), "../../../Svar om holkar")
    assert path.is_file()
    assert path.resolve().is_relative_to(ctx.settings.data_dir.resolve())
    assert ".." not in path.relative_to(ctx.exports_dir).parts
