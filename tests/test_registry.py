"""The district/party registry, glossary and provenance, read from the real files in knowledge/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import registry
from tests.helpers import SEED_IDS, seed_path


def test_current_districts_are_stockholms_eleven() -> None:
    """Since 1 July 2023: Järva (Rinkeby-Kista + Spånga-Tensta), Norra innerstaden (Norrmalm + Östermalm)."""
    assert sorted(registry.districts()) == sorted(
        [
            "Bromma",
            "Enskede-Årsta-Vantör",
            "Farsta",
            "Hägersten-Älvsjö",
            "Hässelby-Vällingby",
            "Järva",
            "Kungsholmen",
            "Norra innerstaden",
            "Skarpnäck",
            "Skärholmen",
            "Södermalm",
        ]
    )


def test_mergers_name_only_known_districts() -> None:
    known = {d.name for d in registry.all_districts()}
    merged = {(m.year, m.into, tuple(sorted(m.from_))) for m in registry.mergers()}
    assert (2020, "Hägersten-Älvsjö", ("Hägersten-Liljeholmen", "Älvsjö")) in merged
    assert (2023, "Järva", ("Rinkeby-Kista", "Spånga-Tensta")) in merged
    assert (2023, "Norra innerstaden", ("Norrmalm", "Östermalm")) in merged
    for m in registry.mergers():
        assert m.into in known and set(m.from_) <= known
        for old in m.from_:
            assert registry.current_district(old) == registry.current_district(m.into)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Hässelby- Vällingby", "Hässelby-Vällingby"),
        ("Hässelby Vällingby", "Hässelby-Vällingby"),
        ("Hässelby-\nVällingby", "Hässelby-Vällingby"),
        ("HÄSSELBY-VÄLLINGBY STADSDELSNÄMND", "Hässelby-Vällingby"),
        ("Skarpnäcks", "Skarpnäck"),
        ("Skarpnäcks stadsdelsförvaltning", "Skarpnäck"),
        ("Hägersten-Liljeholmens", "Hägersten-Liljeholmen"),
        ("Hégersten-Liljeholmens", "Hägersten-Liljeholmen"),  # OCR damage
        ("Hégersten-Liljeholmens stadsdelsndmnd", "Hägersten-Liljeholmen"),
        ("Farsta SDF", "Farsta"),
        ("hasselby-vallinby", "Hässelby-Vällingby"),  # typo, no diacritics
        ("Enskede- Årsta- Vantör", "Enskede-Årsta-Vantör"),
        ("Spånga–Tensta", "Spånga-Tensta"),
        ("HV", "Hässelby-Vällingby"),
        ("Solna", None),
        ("", None),
    ],
)
def test_canonical_district(written: str, canonical: str | None) -> None:
    assert registry.canonical_district(written) == canonical


@pytest.mark.parametrize(
    ("name", "current"),
    [
        ("Hägersten-Liljeholmens stadsdelsnämnd", "Hägersten-Älvsjö"),
        ("Liljeholmen", "Hägersten-Älvsjö"),  # 2007 then 2020
        ("Rinkeby", "Järva"),
        ("Spånga-Tensta", "Järva"),
        ("Maria-Gamla stan", "Södermalm"),
        ("Östermalms stadsdelsnämnd", "Norra innerstaden"),
        ("Årsta", "Enskede-Årsta-Vantör"),  # 1999 then 2007
        ("Farsta", "Farsta"),
        ("Atlantis", None),
    ],
)
def test_current_district_follows_mergers(name: str, current: str | None) -> None:
    assert registry.current_district(name) == current


def test_find_districts_in_order_tolerant_and_unique() -> None:
    text = (
        "Skarpnäcks stadsdelsnämnd och Hässelby-\nVällingby stadsdelsförvaltning svarar, liksom "
        "Hégersten-Liljeholmens stadsdelsndmnd 2008 och åter Skarpnäck. Eleven på Vällingbyskolan "
        "bär en kista; Älvsjö och Hägersten-Älvsjö."
    )
    assert registry.find_districts(text) == [
        "Skarpnäck",
        "Hässelby-Vällingby",
        "Hägersten-Liljeholmen",
        "Älvsjö",
        "Hägersten-Älvsjö",
    ]
    assert registry.find_districts("Stockholms stad och stadsdelsnämnderna") == []


def test_find_districts_on_seed_text() -> None:
    text = seed_path("003").read_text(encoding="utf-8")
    assert registry.find_districts(text)[0] == "Hägersten-Liljeholmen"


def test_district_for_diarienummer() -> None:
    assert registry.district_for_diarienummer("HV 2024/187") == "Hässelby-Vällingby"
    assert registry.district_for_diarienummer("Dnr HV 2024/187") == "Hässelby-Vällingby"
    assert registry.district_for_diarienummer("1.5.1-234/2023") is None  # names no district
    assert registry.district_for_diarienummer("XQ 2024/1") is None  # unknown prefix: no guess
    assert registry.district_for_diarienummer(None) is None


@pytest.mark.parametrize(
    ("token", "as_named", "today"),
    [
        ("(L)", "L", "L"),
        ("Liberalerna", "L", "L"),
        ("Liberalernas", "L", "L"),
        ("(fp)", "FP", "L"),
        ("Folkpartiet", "FP", "L"),
        ("Folkpartiet liberalerna", "FP", "L"),
        ("kd", "KD", "KD"),
        ("Kristdemokratiska samhällspartiet", "KDS", "KD"),
        ("Moderata samlingspartiet", "M", "M"),
        ("(mp)", "MP", "MP"),
        ("Sverigedemokraterna", "SD", "SD"),
        ("Fi", "FI", "FI"),
        ("Vänsterpartiet kommunisterna", "VPK", "V"),
        ("(x)", None, None),
    ],
)
def test_parties(token: str, as_named: str | None, today: str | None) -> None:
    assert registry.canonical_party(token) == as_named
    assert registry.current_party(token) == today


def test_glossary_explains_the_terms_of_the_genre() -> None:
    terms = registry.glossary()
    for term in [
        "RSU", "CSU", "SST", "SoL", "OSL", "BUP", "LVU", "MBL", "orosanmälan", "barnavårdsutredning",
        "skolsociala team", "SIP", "tjänsteutlåtande", "skrivelse", "motion", "remiss", "yttrande",
        "stadsdelsnämnd",
    ]:  # fmt: skip
        assert term in terms, term
        assert len(terms[term].explanation) > 10
    assert terms["SIP"].full == "samordnad individuell plan"
    assert "2025:400" in terms["SoL"].sfs


def test_law_abbreviations() -> None:
    assert registry.law_abbreviation("Socialtjänstlagen") == "SoL"
    assert registry.law_abbreviation("offentlighets- och sekretesslagen") == "OSL"
    assert registry.law_abbreviation("medbestämmandelagen") == "MBL"
    assert registry.law_abbreviation("2009:400") == "OSL"
    assert registry.law_abbreviation("trafikförordningen") is None


def test_provenance_of_every_seed() -> None:
    for short in SEED_IDS:
        record = registry.provenance(seed_path(short))
        assert record is not None, short
        assert record["real_public_record"] is True
        assert record["provenance"] == "public record from Stockholm city (shared/seeds)"
    assert registry.provenance(seed_path("000"))["district"] == "Hässelby-Vällingby"
    assert registry.provenance(seed_path("003"))["district"] == "Hägersten-Liljeholmen"


def test_provenance_refuses_other_or_edited_files(tmp_path: Path) -> None:
    same_name = tmp_path / seed_path("000").name
    same_name.write_text("Ett annat dokument med samma filnamn.", encoding="utf-8")
    assert registry.provenance(same_name) is None
    assert registry.provenance(tmp_path / "missing" / seed_path("001").name) is None
    assert registry.provenance(tmp_path / "egen.txt") is None
    copy = tmp_path / "copy" / seed_path("004").name
    copy.parent.mkdir()
    shutil.copyfile(seed_path("004"), copy)
    assert registry.provenance(copy)["kind"] == "yttrande"  # identical bytes: the same record


@pytest.mark.parametrize(
    ("part", "canonical"),
    [
        ("Tensta", "Spånga-Tensta"),
        ("Spånga", "Spånga-Tensta"),
        ("Gamla stan", "Maria-Gamla stan"),
        ("Stan", None),
        ("Årsta", "Årsta"),  # a district of its own 1997–1998, not the fuzzy neighbour Farsta
    ],
)
def test_canonical_district_from_one_part_of_the_name(part: str, canonical: str | None) -> None:
    assert registry.canonical_district(part) == canonical


def test_running_text_needs_the_full_name() -> None:
    assert registry.find_districts("Eleverna på Vällingbyskolan och i Tensta centrum") == []


def test_broken_registry_file_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.errors import ConfigurationError

    (tmp_path / "districts.json").write_text('{"districts": [', encoding="utf-8")
    monkeypatch.setattr(registry, "_registry_dir", lambda: tmp_path)
    registry._districts_data.cache_clear()
    registry.all_districts.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="districts.json"):
            registry.districts()
    finally:
        registry._districts_data.cache_clear()
        registry.all_districts.cache_clear()
