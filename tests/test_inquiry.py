"""Inquiry analysis on the real OCR-damaged seed and on inquiries written here in the city's styles."""

from __future__ import annotations

from assistant.draft.inquiry import analyse_inquiry, topic_terms
from tests.helpers import seed_path


def test_ocr_damaged_skrivelse_is_repaired_and_both_questions_found() -> None:
    inquiry = analyse_inquiry(seed_path("002").read_text(encoding="utf-8"))
    assert inquiry.repairs > 20
    assert inquiry.kind == "skrivelse"
    assert inquiry.parties == ["L"]
    assert inquiry.district is None  # addressed to every district
    assert len(inquiry.questions) == 2
    first, second = inquiry.questions
    assert first.startswith("Hur arbetar socialförvaltningen") and first.endswith("RSU- och CSU-grupper?")
    assert second.startswith("Hur utnyttjar socialtjänsten") and "barnavårdsutredningar" in second
    assert "\n" not in second and "-\n" not in second  # wrapped lines joined
    assert {"RSU", "CSU"} <= set(inquiry.topic_terms)


def test_district_is_overridable_and_canonicalised() -> None:
    text = seed_path("002").read_text(encoding="utf-8")
    assert analyse_inquiry(text, district="Hässelby-Vällingby").district == "Hässelby-Vällingby"
    assert analyse_inquiry(text, district="hässelby vällingby stadsdelsnämnd").district == "Hässelby-Vällingby"


def test_numbered_inline_and_wrapped_questions() -> None:
    text = (
        "Till Farsta stadsdelsnämnd\n\n"
        "Skrivelse om fritidsgårdarnas öppettider\n\n"
        "Anna Berg (M) och Karl Ek (M) har tagit del av uppgifter om att fritidsgårdarna stänger\n"
        "tidigare i sommar. Varför har nämnden inte informerat om detta? Vi ställer därför\n"
        "följande frågor till förvaltningen:\n\n"
        "1.) Hur många ungdomar besökte fritidsgårdarna under\n"
        "sommaren 2024?\n"
        "2.) Vilka åtgärder planeras för att hålla\n"
        "öppet på kvällarna?\n"
    )
    inquiry = analyse_inquiry(text)
    assert inquiry.kind == "skrivelse"
    assert inquiry.district == "Farsta"
    assert inquiry.parties == ["M"]
    assert inquiry.authors == ["Anna Berg", "Karl Ek"]
    assert inquiry.title == "Skrivelse om fritidsgårdarnas öppettider"
    assert inquiry.questions == [
        "Varför har nämnden inte informerat om detta?",
        "Hur många ungdomar besökte fritidsgårdarna under sommaren 2024?",
        "Vilka åtgärder planeras för att hålla öppet på kvällarna?",
    ]
    assert inquiry.att_satser == []


def test_motion_att_satser_numbered_and_inline() -> None:
    numbered = (
        "Motion om fler parklekar\n\n"
        "Socialdemokraterna vill att fler barn ska få tillgång till bemannade parklekar.\n"
        "Vi föreslår därför att kommunfullmäktige beslutar att:\n\n"
        "1. en parklek inrättas i varje stadsdel\n"
        "2. parklekarnas öppettider utökas\n"
        "under skollov.\n"
    )
    m = analyse_inquiry(numbered)
    assert m.kind == "motion"
    assert m.parties == ["S"]
    assert m.att_satser == ["en parklek inrättas i varje stadsdel", "parklekarnas öppettider utökas under skollov"]

    inline = (
        "Motion från Vänsterpartiet om hyresgästers inflytande\n\n"
        "Vi föreslår att kommunfullmäktige beslutar att hyresgäster ges plats i samråd, "
        "att samråden protokollförs samt att stadsdelsnämnderna följer upp dem årligen."
    )
    m2 = analyse_inquiry(inline)
    assert m2.kind == "motion"
    assert m2.att_satser == [
        "hyresgäster ges plats i samråd",
        "samråden protokollförs",
        "stadsdelsnämnderna följer upp dem årligen",
    ]


def test_remiss_of_a_motion_from_the_seed() -> None:
    inquiry = analyse_inquiry(seed_path("004").read_text(encoding="utf-8"))
    assert inquiry.kind == "remiss"
    assert len(inquiry.att_satser) == 3
    assert inquiry.att_satser[0] == "arbetsmodellen skolsociala team sprids till samtliga stadsdelar"


def test_topic_terms_skip_names_and_genre_words() -> None:
    terms = topic_terms("Skrivelsen från Kalle Svensson handlar om snöröjning. Snöröjning av cykelbanor och snöröjning av gångvägar.")
    assert terms[0] == "snöröjning"
    assert "skrivelsen" not in terms and "svensson" not in terms
