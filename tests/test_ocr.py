"""Swedish OCR repair: real lexicon, real seed documents, sentences written for these tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from assistant.ingest.ocr import Repair, aligned_cer, damage_share, needs_repair, repair, swedish_share
from assistant.settings import REPO_ROOT
from tests.helpers import seed_path


def _bench():
    """The benchmark script, so the test measures CER with exactly the script's function."""
    path = REPO_ROOT / "eval" / "bench_ocr.py"
    spec = importlib.util.spec_from_file_location("bench_ocr", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Damaged with the confusions OCR makes of å/ä/ö (é, d, a, i, o, 4, &, 6, split glyphs, 1 for i),
# on topics the seeds do not cover. Each pair: (damaged, the sentence as written).
DAMAGED = [
    (
        "Forvaltningen har under aret sett over rutinerna for snérdjning pa gangvagar och "
        "cykelbanor 1 stadsdelen, och darfor prioriteras trottoarer néra aldreboenden.",
        "Förvaltningen har under året sett över rutinerna för snöröjning på gångvägar och "
        "cykelbanor i stadsdelen, och därför prioriteras trottoarer nära äldreboenden.",
    ),
    (
        "Aldreomsorgen 1 stadsdelen stér infor stora utmaningar. Behovet av hemtjénst okar och "
        "personalen behéver mer kompetensutveckling for att mé bra 1 arbetet.",
        "Äldreomsorgen i stadsdelen står inför stora utmaningar. Behovet av hemtjänst ökar och "
        "personalen behöver mer kompetensutveckling för att må bra i arbetet.",
    ),
    (
        "Forskolan ska erbjuda en trygg miljo dar barnen kan utvecklas. Forvaltningen foreslar att "
        "stadsdelsnamnden godkanner planen for likvérdig forskola och att &rendet overlamnas.",
        "Förskolan ska erbjuda en trygg miljö där barnen kan utvecklas. Förvaltningen föreslår att "
        "stadsdelsnämnden godkänner planen för likvärdig förskola och att ärendet överlämnas.",
    ),
    (
        "P4 motet diskuterades hur vardnadshavare kan fa battre information om barnens lérande "
        "och hur skolan samverkar med socialtjdnsten kring elever 1 behov av stéd.",
        "På mötet diskuterades hur vårdnadshavare kan få bättre information om barnens lärande "
        "och hur skolan samverkar med socialtjänsten kring elever i behov av stöd.",
    ),
    (
        "Bibliotekets oppettider utdkas under sommaren s4 att fler unga f&r tillgang till "
        "l&sframjande aktiviteter och en lugn studiemiljé.",
        "Bibliotekets öppettider utökas under sommaren så att fler unga får tillgång till "
        "läsfrämjande aktiviteter och en lugn studiemiljö.",
    ),
]

CLEAN = {
    "names and abbreviations": (
        "Anna Åkerlund (S) och Per Moller (KD) ställde frågan till BUP, RSU och CSU i "
        "Hässelby-Vällingby. Enligt SoL och LSS ska nämnden, dvs. SDN, svara senast 2024-05-23."
    ),
    "law references and numbers": (
        "Information enligt 19 § MBL har lämnats. Utredning inleds enligt 11 kap 1 § "
        "socialtjänstlagen (2001:453) och 4 kap 1§ SoL. Dnr HV 2024/187, bilaga 1 och 2, "
        "kostnad 1 250 000 kr, tel. 08-508 23 305, e-post info@stockholm.se, www.stockholm.se."
    ),
    "everyday prose": (
        "Snöröjningen i stadsdelen sköts av en entreprenör. Förra vintern var det halt på "
        "gångvägarna i flera veckor, och många äldre hörde av sig till förvaltningen. "
        "Den boende [personnummer borttaget] fick svar inom två veckor."
    ),
    "a list and a table": (
        "Förslag till beslut\n\n1. Nämnden godkänner förvaltningens svar.\n"
        "2. Ärendet justeras omedelbart.\n\nNamn\tDatum\nToni Mellblom\t2024-05-06\n"
    ),
    "words with accents of their own": (
        "Förvaltningens idé om en ny entré till kaféet på torget fick stöd i "
        "pensionärsrådet, och armén av volontärer växer."
    ),
}


def test_repairs_typical_damage_in_new_sentences() -> None:
    for damaged, expected in DAMAGED:
        result = repair(damaged, force=True)
        assert result.text == expected, (damaged, result.text)


def test_changes_point_into_the_original_text() -> None:
    damaged, expected = DAMAGED[0]
    result = repair(damaged)
    assert isinstance(result, Repair)
    assert result.damaged and result.repairs == len(result.changes) > 5
    for offset, old, new in result.changes:
        assert damaged[offset : offset + len(old)] == old
        assert old != new
    assert ("for", "för") in {(old, new) for _, old, new in result.changes}


@pytest.mark.parametrize("kind", sorted(CLEAN))
def test_clean_text_is_byte_identical_even_when_forced(kind: str) -> None:
    text = CLEAN[kind]
    assert not needs_repair(text)
    assert repair(text).text == text
    forced = repair(text, force=True)
    assert forced.text == text, forced.changes
    assert forced.repairs == 0


@pytest.mark.parametrize("short", ["000", "001", "004"])
def test_clean_seeds_have_zero_changes(short: str) -> None:
    raw = seed_path(short).read_bytes()
    text = raw.decode("utf-8")
    assert not needs_repair(text)
    result = repair(text)
    assert result.repairs == 0 and not result.damaged
    assert result.text.encode("utf-8") == raw
    assert repair(text, force=True).changes == []


@pytest.mark.parametrize("short", ["002", "003"])
def test_damaged_seeds_are_detected_and_repaired(short: str) -> None:
    text = seed_path(short).read_text(encoding="utf-8")
    assert needs_repair(text)
    result = repair(text)
    assert result.damaged and result.repairs > 50
    # abbreviations and party letters survive
    for token in ("RSU", "CSU", "(kd)", "(fp)", "BUP", "MBL", "m.fl."):
        assert text.count(token) == result.text.count(token)


def test_detection_separates_damaged_from_clean_text() -> None:
    for damaged, expected in DAMAGED:
        signs, words = damage_share(damaged)
        assert signs >= 3, damaged
        assert needs_repair(damaged)
        assert not needs_repair(expected)
        assert damage_share(expected)[0] == 0


def test_one_foreign_word_does_not_make_a_text_damaged() -> None:
    text = "Nämnden ser positivt på projektet. Rapporten finns på engelska: Report for the board."
    assert not needs_repair(text)
    assert repair(text).text == text


def test_english_text_is_not_swedish_damage() -> None:
    text = (
        "The committee reviewed the report for the board and asked for a summary of the results "
        "for each district. Data are available at the city website for all schools in the region, "
        "and a follow-up is planned for the autumn."
    )
    signs, words = damage_share(text)
    assert signs >= 3  # "for" looks like damaged "för"…
    assert swedish_share(text) < 0.02  # …but the text is not Swedish
    assert not needs_repair(text)
    assert repair(text).text == text
    assert swedish_share(CLEAN["everyday prose"]) > 0.1


def test_standalone_one_as_i_only_between_words() -> None:
    text = (
        "Barn 1 behov av stöd fick hjälp 1 skolan. Enligt 11 kap 1 § och punkt 1 ovan "
        "betalas 1 000 kr den 1 december, för 1 år. 1. Skrivelse"
    )
    result = repair(text, force=True)
    assert result.text == (
        "Barn i behov av stöd fick hjälp i skolan. Enligt 11 kap 1 § och punkt 1 ovan "
        "betalas 1 000 kr den 1 december, för 1 år. 1. Skrivelse"
    )


def test_digits_read_as_letters_inside_words() -> None:
    damaged = "Fritidshemmet har 1nte plats for alla, men sko1an erbjuder lasning f0r barn 1 behov av st6d."
    result = repair(damaged, force=True)
    assert result.text == (
        "Fritidshemmet har inte plats för alla, men skolan erbjuder läsning för barn i behov av stöd."
    )


def test_codes_with_digits_stay_in_damaged_text() -> None:
    damaged, expected = DAMAGED[0]
    text = damaged + " Trafiken pa E4 och P4 Stockholm rapporterade om A4-format."
    result = repair(text)
    assert result.text == expected + " Trafiken på E4 och P4 Stockholm rapporterade om A4-format."


def test_case_and_punctuation_are_kept() -> None:
    text = "ARENDET: Forslag till beslut. &rendets beredning, (se bilaga). Fragor?"
    result = repair(text, force=True)
    assert result.text == "ARENDET: Förslag till beslut. Ärendets beredning, (se bilaga). Frågor?"


def test_seed_002_cer_after_repair_is_under_one_percent() -> None:
    bench = _bench()
    before, after = bench.seed_cer(False), bench.seed_cer(True)
    assert before.cer > 0.03  # the measurement sees the damage…
    assert after.cer < 0.01  # …and the repair removes most of it
    assert after.words == before.words > 200


def test_aligned_cer_ignores_passages_the_texts_do_not_share() -> None:
    reference = "Inledning om något annat. Barnen får stöd i skolan varje dag av personalen."
    hypothesis = "Helt annan text här. Barnen far stod 1 skolan varje dag av personalen."
    result = aligned_cer(hypothesis, reference)
    assert result.regions == 1
    assert result.errors == 3  # å→a, ö→o, i→1
    assert result.reference_chars == len("barnen får stöd i skolan varje dag av personalen")


def test_synthetic_damage_of_clean_seeds_is_mostly_undone() -> None:
    bench = _bench()
    for short in ("000", "001", "004"):
        cer_damaged, cer_repaired, changes, hurt = bench.synthetic_cer(short, seed=1)
        assert cer_damaged > 0.02
        assert cer_repaired < cer_damaged / 5, short


@pytest.mark.timeout(60)  # a hang guard only: eval/bench_ocr.py measures the time
def test_ten_pages_of_damaged_text_are_repaired_like_their_parts() -> None:
    pages = [Path(seed_path(s)).read_text(encoding="utf-8") for s in ("002", "003")]
    result = repair("\n\n".join(pages * 5))
    assert result.damaged
    assert result.repairs == 5 * sum(repair(p).repairs for p in pages)


def test_empty_and_non_text_input_come_back_unchanged() -> None:
    for text in ("", "   \n\t", "2024-05-23 12:00", "---\r\n***\r\n"):
        result = repair(text, force=True)
        assert result == Repair(text=text, repairs=0, damaged=False, changes=[])
