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
