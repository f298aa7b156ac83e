"""Redaction removes valid personnummer/samordningsnummer and nothing else."""

from __future__ import annotations

import pytest

from assistant.ingest.redact import PERSONNUMMER_MARKER, SAMORDNINGSNUMMER_MARKER, luhn_ok, redact

# Skatteverket's published test numbers: valid dates, valid check digits.
VALID_PNR = [
    "19121212-1212",
    "121212-1212",
    "1212121212",
    "191212121212",
    "121212+1212",
    "850709-9805",
    "121212 - 1212",
    "121212 1212",
    "19121212\u20131212",
]
VALID_SAMORDNING = ["701063-2391", "197010632391", "7010632391"]


@pytest.mark.parametrize("number", VALID_PNR)
def test_personnummer_forms_are_redacted(number: str) -> None:
    text, count = redact(f"Barnet ({number}) har insatser.")
    assert count == 1
    assert text == f"Barnet ({PERSONNUMMER_MARKER}) har insatser."
    assert number not in text


@pytest.mark.parametrize("number", VALID_SAMORDNING)
def test_samordningsnummer_is_redacted(number: str) -> None:
    text, count = redact(f"Samordningsnummer {number}.")
    assert (text, count) == (f"Samordningsnummer {SAMORDNINGSNUMMER_MARKER}.", 1)


@pytest.mark.parametrize(
    "number",
    [
        "121212-1213",  # wrong check digit
        "121312-1212",  # month 13 (check digit recomputed below would still not make a date)
        "850230-9805",  # 30 February
        "701093-2391",  # samordningsnummer day 33
        "171212-121",  # too short
        "12121212121212",  # too long
        "99121212-1212",  # impossible century
    ],
)
def test_invalid_numbers_stay(number: str) -> None:
    assert redact(f"Nummer {number} här") == (f"Nummer {number} här", 0)


def test_luhn() -> None:
    assert luhn_ok("1212121212") and luhn_ok("8507099805")
    assert not luhn_ok("1212121213")


def test_date_is_validated_even_when_luhn_passes() -> None:
    # 851332-xxxx: month 13. Pick the serial whose check digit makes Luhn pass.
    serial = next(f"{i:04d}" for i in range(10000) if luhn_ok(f"851301{i:04d}"))
    number = f"851301-{serial}"
    assert luhn_ok(number.replace("-", ""))
    assert redact(number) == (number, 0)


def test_officials_phone_numbers_references_dates_and_amounts_stay() -> None:
    text = (
        "Handläggare: Anna Andersson, telefon 08-50805905, växel 508 23 305, mobil 0701234567.\n"
        "Dnr HV 2024/187, SDN 2008-1234/2, SFS 2025:400. Beslutsdatum 2024-05-23 (20240523).\n"
        "Kostnaden är 1 250 000 kronor, 3 400 000,50 kr. Tel 08-508 059 05. 4 kap 1 § socialtjänstlagen.\n"
        "Organisationsnummer 212000-0142 is a public body, not a person."
    )
    redacted, count = redact(text)
    assert count == 0
    assert redacted == text


def test_phone_context_beats_a_valid_looking_number() -> None:
    # 0701234567 is 2007-01-23 + serial; if its check digit happens to pass, "tel" still protects it.
    number = next(f"07012345{i:02d}" for i in range(100) if luhn_ok(f"07012345{i:02d}"))
    assert redact(f"Tel: {number}") == (f"Tel: {number}", 0)
    assert redact(f"Elevens nummer {number}")[1] == 1


def test_several_numbers_counted_and_text_around_kept() -> None:
    text = "A: 121212-1212, B: 701063-2391, C: 19121212-1212."
    redacted, count = redact(text)
    assert count == 3
    assert redacted == (
        f"A: {PERSONNUMMER_MARKER}, B: {SAMORDNINGSNUMMER_MARKER}, C: {PERSONNUMMER_MARKER}."
    )


@pytest.mark.parametrize("sep", ["-", "\u2011", "\u2212", "\u2013", "\u00a0", " ", "+", " - ", "\u00a0\u2011\u00a0", ""])
def test_separators_as_word_processors_write_them(sep: str) -> None:
    text = f"Barnets personnummer är 121212{sep}1212 enligt anmälan."
    out, n = redact(text)
    assert n == 1 and "1212" not in out.replace("[personnummer borttaget]", ""), repr(sep)
    assert redact(f"Född 19121212{sep if sep != '+' else '-'}1212.")[1] == 1


def test_review_store_never_stores_a_personnummer(tmp_path) -> None:
    """Every write path of the store (draft, version, comment, audit, conversation) redacts."""
    from assistant.review.auth import User
    from assistant.review.db import ReviewStore

    pnr = ["121212-1212", "121212\u20111212", "19121212\u22121212", "121212\u00a01212"]
    store = ReviewStore(tmp_path / "db.sqlite3")
    anna, bo = User("anna", "handläggare"), User("bo", "avdelningschef")
    did = store.create_draft(anna, f"Svar om {pnr[0]}", f"Text {pnr[1]}", inquiry_text=f"Skrivelse om {pnr[2]}", draft_json=f'{{"x": "{pnr[3]}"}}')
    store.add_version(anna, did, f"Ny text {pnr[0]}", f'{{"y": "{pnr[1]}"}}')
    store.submit(anna, did)
    store.comment(bo, did, f"Stryk {pnr[2]}")
    store.return_draft(bo, did, f"Se {pnr[3]}")
    store.save_conversation(anna, {"inquiry_text": f"Skrivelse om {pnr[0]}"}, f"Samtal {pnr[1]}")
    store.log(anna, "exporterade", f"utkast {did}", f"fil med {pnr[2]}")
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    for p in pnr:
        assert "".join(ch for ch in p if ch.isdigit())[-10:].encode() not in blob
    assert store.version(anna, did).markdown.startswith("Ny text [personnummer borttaget]")


def test_existing_database_is_redacted_by_the_migration(tmp_path) -> None:
    import sqlite3

    from assistant.review.auth import User
    from assistant.review.db import MIGRATIONS, ReviewStore

    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    for statement in filter(str.strip, MIGRATIONS[0].split(";")):
        con.execute(statement)
    con.execute("PRAGMA user_version = 1")
    con.execute(
        "INSERT INTO drafts (title, district, inquiry_text, owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        ("Utkast", "Farsta", "Barnet 121212-1212 går i skolan.", "anna", "2024-01-01", "2024-01-01"),
    )
    con.execute(
        "INSERT INTO conversations (owner, title, state_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        ("anna", "Samtal", '{"text": "121212-1212"}', "2024-01-01", "2024-01-01"),
    )
    con.commit()
    con.close()
    store = ReviewStore(path)
    assert store.schema_version == len(MIGRATIONS)
    assert store.get_draft(User("root", "admin"), 1).inquiry_text == "Barnet [personnummer borttaget] går i skolan."
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"1212121212" not in blob and b"121212-1212" not in blob


def test_log_records_are_redacted(caplog):
    import logging

    from assistant.ingest.redact import RedactingFilter

    logger = logging.getLogger("assistant.test.redaction")
    caplog.handler.addFilter(RedactingFilter())
    with caplog.at_level(logging.WARNING, logger="assistant.test.redaction"):
        logger.warning("Kunde inte läsa %s: %s", "bilaga 121212-1212.pdf", "barnet 19121212\u20111212 nämns")
    text = caplog.text
    assert "1212121212" not in text.replace("-", "").replace("\u2011", "")
    assert text.count("[personnummer borttaget]") == 2
