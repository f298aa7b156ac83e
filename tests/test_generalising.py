"""The drafting rules that must hold on topics they were not written for.

Positions on att-satser, local versus city-wide facts without topic lists, the anchors that tie a
sentence to the whole city, law references the rest of the archive gives differently, the inquiry's
att-satser, sender and title, and the archive-wide features kept on disk. Examples are deliberately
from topics that appear neither in the seeds nor in eval/archive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.draft import adapt
from assistant.draft.inquiry import analyse_inquiry
from assistant.draft.positions import majority, stance
from assistant.draft.precedent_drafter import PrecedentDrafter
from assistant.draft.relevance import date_forms, what_is_asked
from assistant.services import Assistant
from assistant.settings import Settings
from assistant.text import law_citations


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Förvaltningen delar motionärernas uppfattning att fler bänkar behövs.", "delar"),
        ("Förvaltningen tillstyrker förslag 2.", "delar"),
        ("Förvaltningen ställer sig i grunden positiv till förslaget, men anser att tidsgränsen är för snäv.", "delar delvis"),
        ("Förvaltningen delar endast delvis förslaget om nya hundrastgårdar.", "delar delvis"),
        ("Förvaltningen delar inte uppfattningen att alla bibliotek ska ha söndagsöppet.", "delar inte"),
        ("Förslaget om avgiftsfria simskolor avstyrks av förvaltningen.", "delar inte"),
        ("Förvaltningen ser inte behov av en ny samordnare.", "delar inte"),
        ("Motionärerna föreslår att bänkarna byts ut.", None),  # the inquiry, not a position
        ("Under 2022 fick förvaltningen frågor från olika delar av området.", None),  # "delar" as a noun
    ],
)
def test_stance(sentence: str, expected: str | None) -> None:
    assert stance(sentence) == expected


def test_majority_prefers_the_cautious_side_of_a_tie() -> None:
    assert majority(["delar", "delar", "delar inte"]) == "delar"
    assert majority(["delar", "delar inte"]) == "delar inte"
    assert majority(["delar", "delar delvis", "delar inte"]) == "delar delvis"
    assert majority([]) is None


@pytest.mark.parametrize(
    ("sentence", "local"),
    [
        ("I parken planterades förra året 120 träd.", True),  # a local figure, whatever is counted
        ("Badhuset har 4 500 besök per vecka.", True),
        ("Av förvaltningens 14 lokaler saknar fem hörslinga.", True),
        ("Under 2023 tog förvaltningen emot 85 synpunkter via stadens e-tjänst.", True),  # the city's tool, the district's count
        ("Förvaltningen arbetar med uppsökande verksamhet varje vecka.", True),  # what that förvaltning does
        ("Biblioteksverksamheten strävar efter att nå fler unga läsare.", False),  # no agent of the förvaltning
        ("Staden lägger årligen omkring 40 miljoner kronor på snöröjning.", False),  # a city figure
        ("Trafikkontoret har omkring 12 miljoner kronor per år för nya bänkar.", False),  # a fackförvaltning's figure
        ("I kulturförvaltningens enkät svarade 64 procent av besökarna att de var nöjda.", True),  # a district's figure in a city survey
        ("Farsta stadsdelsförvaltning genomförde tillsammans med trafikkontoret en inventering av 90 bänkar.", True),
        ("Förvaltningen arbetar utifrån stadens riktlinjer för hundrastgårdar.", False),  # follows a city instrument
        # A set counted in the definite is the one it has, around a city survey or not; the nämnder are the city's.
        ("I stadens brukarundersökning var nöjdheten på de fyra fritidsgårdarna högre än året innan.", True),
        ("Kommunfullmäktige har beslutat att de tre stadsdelsnämnderna i söderort ska samordna sina upphandlingar.", False),
        ("Enligt 2 kap. 1 § ordningslagen krävs tillstånd för offentliga tillställningar.", False),
        ("Kulturförvaltningen ansvarar för stadens bibliotek.", False),
        # What the förvaltning has done (perfect tense); "förslagen" is not a law.
        ("Förvaltningen har lämnat förslagen om bänkarna vidare till trafikkontoret och har själv åtgärdat resten.", True),
        # A place of one district stays local beside a city instrument.
        ("Upprustningen av gångvägarna längs Ekdalsstranden finansieras inom investeringsplanen som kommunfullmäktige fastställer.", True),
        # What that förvaltning has seen in its area, and a description of its kind of area.
        ("Förvaltningen ser att antalet klagomål på hundar har ökat de senaste åren.", True),
        ("I ett stadsdelsområde där de flesta parker ligger nära bostäder är nedskräpningen ett återkommande problem.", True),
        # The city's own named programme beside a city-wide marker is the city's.
        ("Arbetet följer Kulturprogrammet för Stockholms stad.", False),
        # Its own act in the past tense, even inside a relative clause.
        ("I det avtal som idrottsföreningen och förvaltningen tecknade för 2021 ingår skötsel av planen.", True),
        # A local partner named with a common first name ("Sofia" is frequent Swedish).
        ("Bland arbetsgivarna finns Sofia församling, som tar emot ungdomar i sin verksamhet.", True),
        # A count of its own things, even beside the city's rules for them; and what it will do.
        ("Samtliga fyra hundrastgårdar har belysning enligt stadens riktlinjer för hundrastgårdar.", True),
        ("Detta följer av riktlinjerna som trafiknämnden antog 2019, och samtliga sex bollplaner uppfyller kraven.", True),
        ("Förvaltningen kommer också att lämna en lista över trasiga bänkar till trafikkontoret inför 2022.", True),
        ("Förvaltningen ser att fler föreningar vill delta och kommer under våren att bjuda in dem till ett möte.", True),
        # What it looks after, in either word order.
        ("I dag sköter förvaltningen nio hundrastgårdar, varav tre har belysning.", True),
        # The city's figure, dated by its year, stays the city's.
        ("Enligt stadsledningskontoret var sjukfrånvaron 6,8 procent för samtliga förvaltningar i staden under 2021.", False),
        # Its stance in any word order or in the passive, and anywhere in the sentence.
        ("Förslaget om fler papperskorgar delar förvaltningen delvis, eftersom tömningen kostar.", True),
        ("Förslaget om en ny fritidsgård avstyrks.", True),
        ("Det är kulturförvaltningen som ansvarar för biblioteken, och förvaltningen ställer sig bakom att den tar fram en plan.", True),
        # How its own things are: a share of a definite set, all of an unnamed set, those things as the subject.
        ("Flera av hundrastgårdarna saknar belysning.", True),
        ("Vid samtliga lekplatser finns sittplatser för vuxna.", True),
        ("Bänkarna är av äldre modell och behöver bytas.", True),
        ("Träffpunkterna är i stadens modell öppna för alla som fyllt 65 år.", False),
        ("Stadsdelsområdet har många äldre invånare.", True),
        # A second verb of its own plan, however far from the subject; any deed in the present tense.
        ("Förvaltningen bedömer att bänkar är viktiga för äldre som går långsamt, och kommer att prioritera gångstråken nära torget.", True),
        ("Förvaltningen följer upp bänkarnas skick varje vår.", True),
        ("Förvaltningen hänvisar till stadens riktlinjer för bänkar.", False),
        # What is done to its things now, verb first; a part of the area as a part.
        ("För närvarande klipps gräsytorna i parkerna varannan vecka.", True),
        ("I dag töms stadens papperskorgar enligt trafikkontorets avtal.", False),
        ("De flesta lekplatserna ligger i den västra delen av stadsdelsområdet.", True),
        # The municipality's regulations under the ordningslag, however they are introduced.
        ("De lokala ordningsföreskrifterna förbjuder alkohol på lekplatser.", False),
        # A unit's schedule and routines, a bounded count in words, a habit in the modal: its own.
        ("Gården har öppet måndagar till torsdagar 15.00–21.00.", True),
        ("Varje fredag tas en lägesbild fram tillsammans med områdespolisen.", True),
        ("På helgkvällarna ska det alltid finnas minst tre vuxna i tjänst.", True),
        ("Redan i dag gäller att förvaltningen alltid begär in föreningens stadgar.", True),
        ("Enligt stadens riktlinjer ska fritidsgårdarna ha öppet minst tre kvällar i veckan.", False),
        ("Enligt lagen ska minst två vuxna närvara vid förrättningen.", False),  # the law's count
        ("Andelen flickor bland besökarna har ökat men är fortfarande låg.", True),  # a trend measured there
        ("I hela staden har andelen flickor bland besökarna ökat.", False),
        ("Äldrenämndens kvalitetskriterier anger att en träffpunkt ska vara öppen minst fem dagar.", False),  # a city body's
        # A day of a month is a date, not a count: when a law took effect is everyone's.
        ("Sedan barnkonventionen blev svensk lag den 1 januari 2020 ska barnets bästa beaktas i alla beslut.", False),
        ("Från den 1 mars tar förvaltningen emot 40 nya deltagare.", True),  # the count beside it is still its own
        ("Barnkonventionen gäller som lag sedan 2020 (SFS 2018:1197).", False),  # SFS is a law number, no name
        # The city's division of responsibility, whichever nämnd writes it; a named place stays local.
        ("Trafikkontoret ansvarar för gatuträden, medan stadsdelsnämnden sköter träden i parkerna i stadsdelsområdet.", False),
        ("Ansvaret för snöröjningen av gatorna ligger hos trafiknämnden, medan stadsdelsnämnden sköter parkvägarna.", False),
        ("Trafikkontoret ansvarar för gatuträden, medan stadsdelsnämnden sköter träden i Grönbodalsparken.", True),
        ("Stadsdelsnämnden sköter parkerna i stadsdelsområdet.", True),  # no city body beside it: its own
        # How the money reaches every nämnd, against what one nämnd did with it.
        ("Nämndens medel för parkskötsel fördelas genom stadens resursfördelningsmodell.", False),
        ("Nämnden har avsatt 2 miljoner kronor av sina medel för parkskötsel.", True),
        ("Socialstyrelsens nationella riktlinjer rekommenderar anpassad dagverksamhet.", False),  # a national body, no name
        # A relative clause after a phrase of the verb's describes that noun (the model), not what is counted.
        ("Under hösten 2019 byttes 640 lås till den nya modell som ingår i stadens avtal.", True),
        ("57 procent av dem som har hemtjänst i staden är nöjda enligt stadens brukarundersökning.", False),
        # The city as the source of an amount: what this förvaltning was given.
        ("Programmet finansieras till en del med 2,3 miljoner kronor ur stadens medel för sociala investeringar.", True),
        ("Staden avsätter 90 miljoner kronor per år för klottersanering.", False),
        # The languages its staff speak.
        ("Personalen på medborgarkontoret talar bland annat somaliska, arabiska och persiska, enligt stadens riktlinjer för service.", True),
    ],
)
def test_local_or_city_wide_without_topic_lists(sentence: str, local: bool) -> None:
    assert adapt.classify(sentence, "Farsta").local is local


def test_a_thing_proposed_in_a_view_is_not_a_local_thing() -> None:
    entities = adapt.local_entities(["Förvaltningen anser att en trygghetsvandring per år i olika delar av stadsdelsområdet är rimlig."])
    assert "trygghetsvandringen" not in entities
    assert not adapt.classify("Enligt stadens riktlinjer ska trygghetsvandringarna vara öppna för alla.", "Farsta", local_entities=entities).local


def test_one_thing_introduced_makes_that_one_local_not_its_kind() -> None:
    entities = adapt.local_entities(["Förvaltningen bygger under 2024 en skatepark vid Tenstagången."])
    assert adapt.classify("Skateparken får belysning och bänkar.", "Farsta", local_entities=entities).local
    assert not adapt.classify("Skateparkerna i staden sköts enligt trafikkontorets riktlinjer.", "Farsta", local_entities=entities).local


def test_a_thing_introduced_with_an_adjective_is_local_when_named_again() -> None:
    entities = adapt.local_entities(["Under 2024 planerar förvaltningen ett konstnärligt ljusprojekt vid utsiktsplatsen."])
    assert "ljusprojektet" in entities
    assert adapt.classify("Genom att unga deltar i ljusprojektet får de inflytande.", "Farsta", local_entities=entities).local


def test_questions_descriptions_of_the_document_and_first_names_are_not_answers_or_names() -> None:
    from assistant.draft.quotable import leans_on_context, usable

    # A precedent restating the inquiry's question answers nothing, nor does it describing itself.
    assert not usable("Fråga 2: Hur många bänkar har förvaltningen lagat under året?", "", 90)
    assert not usable("Förvaltningen redogör nedan för antalet bänkar och hur de sköts.", "", 90)
    assert usable("Förvaltningen lagade 40 bänkar under året, de flesta i parkerna.", "", 90)
    assert leans_on_context("Därutöver tog ett antal föreningar emot ungdomar.")
    # Officers of every district share first names: "Sofia Lindahl" does not make "Sofia" the city's.
    assert "sofia" not in adapt.names_in("Handläggare Sofia Lindahl Telefon: 08-508 00 000")
    assert "sofia" in adapt.names_in("Bland arbetsgivarna finns Sofia församling.")


def test_the_state_of_one_forvaltning_stays_its_own_however_many_describe_theirs_alike() -> None:
    for sentence in (
        "I dag sköter förvaltningen nio hundrastgårdar, varav tre har belysning.",  # what it has, counted
        "Förvaltningens personalomsättning ligger något över stadens genomsnitt.",
        "Personalomsättningen i förvaltningen är hög, framför allt inom förskolan.",
        "Timanställda står för ungefär en femtedel av arbetstiden i förvaltningen.",
    ):
        assert adapt.classify(sentence, "Farsta", corroborated=True).local, sentence
    # Its task or a law it follows is not its state.
    assert not adapt.classify("Förvaltningens arbete utgår från 3 kap. arbetsmiljölagen.", "Farsta", corroborated=True).local


def test_practice_stated_by_another_district_too_is_city_wide() -> None:
    sentence = "Förvaltningen erbjuder simskola för nyanlända barn varje sommar."
    assert adapt.classify(sentence, "Farsta").local
    assert not adapt.classify(sentence, "Farsta", corroborated=True).local


def test_city_anchors_compare_different_wordings() -> None:
    a = adapt.city_anchors("Arbetet följer Stockholms stads kulturprogram 2024–2027 och 3 kap. 2 § bibliotekslagen.")
    b = adapt.city_anchors("Stadens kulturprogram lyfter läsfrämjande, och enligt bibliotekslagen (2013:801) ska biblioteken verka för det.")
    assert "stadens:program" in a & b and "lag:bibliotekslagen" in a & b
    assert adapt.city_anchors("Biblioteket i centrum har öppet till klockan 20.") == set()
    # Definite forms are city documents too ("programmet", "riktlinjerna").
    assert "stadens:program" in adapt.city_anchors("Enligt idrottsprogrammet, som staden antog 2022, ska hallarna vara öppna.")
    assert "stadens:riktlinje" in adapt.city_anchors("Riktlinjerna för föreningsbidrag i Stockholms stad gäller.")
    # A law by its title, with or without its SFS number.
    with_number = adapt.city_anchors("Lagen (1982:80) om anställningsskydd gäller även visstidsanställda.")
    without = adapt.city_anchors("Enligt lagen om anställningsskydd ska turordningen följas.")
    assert "lag:om anställningsskydd" in with_number & without
    assert "lag:om offentlig upphandling" in adapt.city_anchors("Inköpen följer lagen om offentlig upphandling.")


def test_figures_corroborate_whether_or_not_the_city_is_named() -> None:
    # A figure counts as an anchor only beside the city; but another district giving the same figure
    # without naming the city still corroborates it.
    assert "tal:3,1" in adapt.city_anchors("Stadens budget ger stadsdelsnämnderna en uppräkning med 3,1 procent.")
    assert adapt.city_anchors("Nämnden fick en uppräkning med 3,1 procent.") == set()
    assert adapt.figure_anchors("Nämnden fick en uppräkning med 3,1 procent enligt 2 kap. 3 § kommunallagen.") == {"tal:3,1"}


def test_districts_naming_a_city_scheme_differently_are_compared_and_a_new_figure_is_a_new_fact() -> None:
    from assistant.draft.common_ground import already_says, same_facts
    from assistant.text import mutual_overlap, stems

    # "Stadens modell" and "stadens koncept" may be the same scheme: worth comparing; a law and a body are not.
    modell = "I stadens modell är väntrummen öppna platser där besökare får hjälp med blanketter och kan låna en dator."
    koncept = "Stadens koncept för väntrum innebär öppna platser där besökare kan låna en dator och få hjälp med blanketter."
    a, b = adapt.city_anchors(modell), adapt.city_anchors(koncept)
    assert not a & b and adapt.share_anchor(a, b)
    assert not adapt.share_anchor({"lag:kommunallagen"}, {"organ:kulturförvaltningen"})
    same = same_facts(0.175)
    assert same(modell, koncept)
    # The stated sentence gives the same body and year but not the figure: the figure is a new fact.
    stated = "Kommunfullmäktiges budget för 2025 gav nämnderna en ram på samma nivå som året innan, enligt stadsledningskontoret."
    figure = "Stadens budget för 2025 ger stadsdelsnämnderna en uppräkning med 3,1 procent, enligt stadsledningskontoret."
    sa = adapt.city_anchors(stated) | adapt.figure_anchors(stated)
    fa = adapt.city_anchors(figure) | adapt.figure_anchors(figure)
    assert same(figure, stated)  # the words alone would call it said
    assert not already_says(figure, fa, stated, sa, same)
    assert already_says(figure, fa, figure.replace("ger", "gav"), fa, same)
    # The overlap is symmetric: a short sentence inside a long one is not the same statement.
    long = stems(figure + " " + stated + " Förvaltningen följer utvecklingen noga under hela året.")
    assert mutual_overlap(stems(figure), long) == mutual_overlap(long, stems(figure)) < 1.0
    assert mutual_overlap(set(), long) == 0.0


def test_law_citations() -> None:
    found = law_citations("anmälan enligt 14 kap. 1 § SoL och ordningsstörning enligt 2 kap 1§ ordningslagen")
    assert [(law, ref) for law, ref, _ in found] == [("socialtjänstlagen", "14 kap. 1 §"), ("ordningslagen", "2 kap. 1 §")]


def test_att_satser_one_paragraph_each_sender_and_title() -> None:
    text = (
        "Remiss från kulturnämnden\n\nTill: Stadsdelsnämnderna\nFrån: Kulturnämnden\nSvar senast: 2025-05-02\n\n"
        "Remiss av förslag till Läsfrämjande plan för Stockholms stad\n\n"
        "Kulturförvaltningen har tagit fram ett förslag till plan för läsfrämjande arbete i hela staden, med mål för barn, unga och vuxna.\n\n"
        "Kulturnämnden ber stadsdelsnämnderna att ta ställning till följande förslag:\n\n"
        "1. Varje stadsdelsnämnd utser en kontaktperson för läsfrämjande.\n\n"
        "2. Förskolorna besöker biblioteket minst två gånger per termin.\n\n"
        "Vilka hinder ser nämnden för att genomföra planen?\n"
    )
    inquiry = analyse_inquiry(text, "Farsta")
    assert inquiry.kind == "remiss" and inquiry.recipient == "kulturnämnden"
    assert len(inquiry.att_satser) == 2 and inquiry.att_satser[1].startswith("Förskolorna besöker")
    assert inquiry.questions == ["Vilka hinder ser nämnden för att genomföra planen?"]
    assert inquiry.title == "Remiss av förslag till Läsfrämjande plan för Stockholms stad"

    motion = (
        "Motion om fler bänkar i parkerna\n\nVi föreslår att kommunfullmäktige beslutar\n\n"
        "att fler bänkar ställs ut längs promenadstråken\n\natt bänkarna får armstöd\n\natt äldre får vara med och välja platser\n"
    )
    assert len(analyse_inquiry(motion).att_satser) == 3


def test_follow_up_skrivelse_is_a_skrivelse_and_dates_are_matched_as_written() -> None:
    text = (
        "Skrivelse\n\nTill: Farsta stadsdelsnämnd\n\nSkrivelse om bänkarna – uppföljning\n\n"
        "Våren 2023 yttrade sig nämnden över vår motion om bänkar. I sitt svar den 4 maj 2023 angav förvaltningen att tio bänkar skulle ställas ut.\n\n"
        "Hur många bänkar har ställts ut sedan dess?\n"
    )
    inquiry = analyse_inquiry(text)
    assert inquiry.kind == "skrivelse" and inquiry.district == "Farsta"
    assert "4 maj 2023" in date_forms("2023-05-04") and "2023-05-04" in date_forms("2023-05-04")


def test_what_is_asked_leaves_out_who_asks_and_who_is_asked() -> None:
    inquiry = analyse_inquiry("Skrivelse från Eva Ek (C)\n\nHur arbetar Farsta med bänkar? Centerpartiet vill veta.\n")
    asked = what_is_asked("Hur arbetar Farsta stadsdelsnämnd med bänkar enligt Centerpartiet (C)?", inquiry)
    assert "bänkar" in asked and "Farsta" not in asked and "Centerpartiet" not in asked and "(C)" not in asked


LITTER = {
    "topic": "nedskräpning i parkerna",
    "asked": "Skrivelsen frågar hur förvaltningen arbetar mot nedskräpning i parkerna, hur ofta papperskorgarna töms under "
    "sommarhalvåret, hur boende kan anmäla platser som behöver städas och hur förvaltningen samarbetar med föreningar "
    "och skolor om skräpplockning i parker och på lekplatser.",
}

ANSWER = """SYNTETISKT DOKUMENT – testdokument.

Till
{district} stadsdelsnämnd
{date}

Svar på skrivelse om {topic}

Förvaltningens förslag till beslut

{district} stadsdelsnämnd godkänner förvaltningens tjänsteutlåtande som svar på skrivelsen.

Ärendet

{asked}

Förvaltningens synpunkter och förslag

{law}

Parkerna städas varje vecka under sommaren.
"""


@pytest.mark.slow
def test_law_reference_the_archive_gives_differently_is_flagged(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    right = "Den som skräpar ner på allmän plats kan dömas för nedskräpning enligt {ref} miljöbalken."
    for name, district, date, ref in [
        ("a", "Bromma", "2022-03-01", "29 kap. 7 §"),
        ("b", "Skarpnäck", "2022-03-08", "29 kap. 7 §"),
        ("c", "Södermalm", "2022-03-15", "4 kap. 7 §"),
    ]:
        (folder / f"{name}.txt").write_text(ANSWER.format(district=district, date=date, law=right.format(ref=ref), **LITTER), encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "data"))
    assert assistant.ingest([folder]).ok
    drafter_flags = []
    from assistant.draft.precedent_drafter import PrecedentDrafter

    drafter = PrecedentDrafter(assistant)
    for doc in assistant.store.all():
        sentence = next(s for s in doc.text.split("\n") if "miljöbalken" in s)
        drafter_flags.append((doc.metadata.district, drafter._suspect_law(sentence, doc)))
    flagged = {d: f for d, f in drafter_flags if f is not None}
    assert set(flagged) == {"Södermalm"}
    assert "29 kap. 7 §" in flagged["Södermalm"].message and flagged["Södermalm"].kind == "suspect_law"


@pytest.mark.slow
def test_archive_features_are_computed_at_ingest_and_read_after_a_restart(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, district in [("a", "Bromma"), ("b", "Skarpnäck")]:
        (folder / f"{name}.txt").write_text(ANSWER.format(district=district, date="2022-03-01", law="Förvaltningen samarbetar med Parkgruppen Ekbacken.", **LITTER), encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    assert Assistant(settings).ingest([folder]).ok
    features = settings.index_dir / "features"
    assert sorted(p.name for p in features.glob("*.json")) == ["a.json", "b.json", "groups.json"]
    restarted = Assistant(settings)
    calls = []
    original = restarted.embeddings.embed_passages
    restarted.embeddings.embed_passages = lambda texts: calls.append(texts) or original(texts)  # type: ignore[method-assign]
    groups = restarted.retriever.inquiry_groups()
    assert calls == []  # read from disk: nothing embedded at the first draft
    assert groups["a"] == groups["b"]  # the same inquiry, answered by two districts
    assert "ekbacken" in restarted.index.archive_features(restarted.store).shared_names()



def test_a_name_two_neighbours_use_on_different_subjects_is_not_the_citys(tmp_path: Path) -> None:
    """Two districts naming the same shore in answers on different subjects does not make it the
    city's; an acronym two districts use on the same subject, or three districts anywhere, is."""
    from assistant.index.archive_features import FEATURES_VERSION, ArchiveFeatures

    features = ArchiveFeatures(tmp_path / "features")
    for doc_id, district, names, inquiry in [
        ("a", "Bromma", ["ekstranden", "kbl"], "Skrivelse om badplatser och badvakter vid naturbaden"),
        ("b", "Hässelby-Vällingby", ["ekstranden"], "Skrivelse om prioriteringar i verksamhetsplanen för nästa år"),
        ("c", "Farsta", ["kbl"], "Remiss om krisberedskap och trygghetspunkter i stadsdelsområdena"),
        ("d", "Skarpnäck", ["kbl"], "Motion om offentliga toaletter i parker och vid lekplatser"),
    ]:
        features._write(
            {"version": FEATURES_VERSION, "doc_id": doc_id, "content_hash": doc_id, "district": district, "kind": "tjänsteutlåtande",
             "date": None, "diarienummer": None, "names": names, "inquiry_text": inquiry, "vector": None}
        )
    assert features.shared_names() == frozenset({"kbl"})
    # A former district and its successor are one district: three answers naming a place of theirs
    # on different subjects do not make it the city's.
    for doc_id, district, inquiry in [
        ("e", "Rinkeby-Kista", "Skrivelse om fritidsgårdarnas öppettider och bemanning"),
        ("f", "Spånga-Tensta", "Remiss om trädplan och återplantering i parkerna"),
        ("g", "Järva", "Skrivelse om hundrastgårdar och belysning i parkerna"),
    ]:
        features._write(
            {"version": FEATURES_VERSION, "doc_id": doc_id, "content_hash": doc_id, "district": district, "kind": "tjänsteutlåtande",
             "date": None, "diarienummer": None, "names": ["hjulsta"], "inquiry_text": inquiry, "vector": None}
        )
    features._derived.clear()
    assert "hjulsta" not in features.shared_names()


BENCHES = {
    "topic": "bänkar i parkerna",
    "asked": "Skrivelsen frågar hur förvaltningen sköter bänkarna i parkerna och hur snabbt en trasig bänk lagas.",
}

BENCH_ANSWERS = [
    ("a", "Bromma", "2023-04-03",
     "Förvaltningen ser över bänkarna i parkerna varje vår och byter ut de bänkar som är trasiga.",
     "Enligt stadens riktlinjer för parkmöbler ska en trasig bänk lagas inom fjorton dagar efter att felet anmälts.",
     "Nya bänkar sattes upp vid Ekbackens lekplats under 2022."),
    ("b", "Skarpnäck", "2023-04-10",
     "Förvaltningen går igenom bänkarna i parkerna varje vår och byter ut bänkar som är trasiga.",
     "Stadens riktlinjer för parkmöbler anger att trasiga bänkar ska repareras inom fjorton dagar från felanmälan.",
     "I Flatenparken har förvaltningen ställt ut tolv nya bänkar."),
    ("c", "Södermalm", "2023-04-17",
     "Bänkarna i parkerna inventeras varje vår, och skötseln följer stadens riktlinjer för parkskötsel, som stadsledningskontoret reviderade 2021.",
     "Felanmälan görs i stadens e-tjänst för felanmälan, som trafikkontoret ansvarar för.",
     # A local practice in a phrasing no rule knows ("Parkarbetarna bjuder in …"): nothing shows it is the city's.
     "Vid Vitabergsparken har förvaltningen lagt om gångvägen. Parkarbetarna bjuder in grannarna att måla om de trasiga bänkarna tillsammans."),
]


@pytest.mark.slow
def test_a_city_wide_fact_two_districts_state_in_their_own_words_is_stated_and_local_ones_are_not(tmp_path: Path) -> None:
    """The Bakgrund states what several districts' answers say alike about the city (here the city's
    guidelines for park furniture, in two wordings), as the receiving district's own, even when an
    answer sentence already names the city's guidelines for something else; their local places never are."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, district, date, answer, city, local in BENCH_ANSWERS:
        (folder / f"{name}.txt").write_text(ANSWER.format(district=district, date=date, law=f"{answer}\n\n{city}\n\n{local}", **BENCHES), encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "data"))
    assert assistant.ingest([folder]).ok
    inquiry = "Skrivelse om bänkar i parkerna\n\nTill Farsta stadsdelsnämnd\n\nHur sköter förvaltningen bänkarna i parkerna, och hur snabbt lagas en trasig bänk?"
    draft = assistant.draft(inquiry, district="Farsta")
    own = [p.text for s in draft.sections for p in s.paragraphs if p.role not in ("local", "question", "inquiry", "meta") and not p.flags]
    own_text = " ".join(own)
    assert "fjorton dagar" in own_text  # the guidelines, stated by two districts
    for place in ("Ekbacken", "Flatenparken", "Vitabergsparken"):
        assert place not in own_text
    all_text = " ".join(p.text for s in draft.sections for p in s.paragraphs)
    assert "bjuder in grannarna" in all_text and "bjuder in grannarna" not in own_text  # shown for confirmation


def test_a_city_bodys_figure_that_another_district_gives_too_is_the_bodys() -> None:
    sentence = "Förvaltningen noterar att idrottsförvaltningen i dag har cirka 45 miljoner kronor per år för upprustning."
    assert adapt.classify(sentence, "Farsta").local  # one district's word alone: could be its own count
    assert not adapt.classify(sentence, "Farsta", shared_figures=frozenset(adapt.figure_units("45 miljoner kronor"))).local
    # A förvaltning's own count stays local even when the number recurs elsewhere.
    assert adapt.classify("Förvaltningen har 45 platser i egen regi enligt idrottsförvaltningen.", "Farsta", shared_figures=frozenset({"tal:45 platser"})).local
    # The same number counting something else elsewhere is not the same figure.
    capped = "Under pandemin har högst 30 besökare fått vistas i lokalerna, i enlighet med Folkhälsomyndighetens föreskrifter."
    assert adapt.classify(capped, "Farsta", shared_figures=frozenset(adapt.figure_units("30 procent av ungdomarna"))).local


def test_a_figure_beside_a_name_several_districts_use_is_that_bodys_when_another_district_gives_it_too() -> None:
    sentence = "SMHI utfärdar ett meddelande om höga temperaturer vid minst 26 grader tre dagar i följd."
    assert adapt.classify(sentence, "Farsta", shared_names=frozenset({"smhi"})).local  # one district's word alone
    shared = frozenset(adapt.figure_units("över 26 grader"))
    assert not adapt.classify(sentence, "Farsta", shared_names=frozenset({"smhi"}), shared_figures=shared).local
    assert adapt.classify(sentence, "Farsta", shared_figures=shared).local  # a name only this answer uses proves nothing


def test_city_guidelines_in_the_plural_are_a_city_document() -> None:
    assert "stadens:riktlinje" in adapt.city_anchors("Stadens riktlinjer för fritidsgårdsverksamhet anger att gårdarna ska vara avgiftsfria.")
    assert "stadens:riktlinje" in adapt.city_anchors("Bidragen fördelas enligt stadens riktlinjer för föreningsbidrag.")


def test_a_name_the_document_uses_is_recognised_opening_a_sentence() -> None:
    text = "Verksamheten bedrivs på Gärdesgården och i Lärkan. Gärdesgården samarbetar med idrottsföreningarna."
    names = adapt.own_names(text, frozenset(), 5.0)
    assert "gärdesgården" in names and "verksamheten" not in names
    sentence = "Gärdesgården samarbetar med idrottsföreningarna."
    assert adapt.classify(sentence, "Farsta", own_names=names).local
    assert not adapt.classify(sentence, "Farsta").local  # opening a sentence, a capital alone says nothing
    # A name several districts share is the city's (not the document's own).
    assert "gärdesgården" not in adapt.own_names(text, frozenset({"gärdesgården"}), 5.0)
    # A line's first word follows a heading, not a word: "Lagen" opening a paragraph is no name.
    doc = "Bakgrund\n\nLagen (2018:1197) gäller sedan 2020. Verksamheten ligger i Tessinparken.\nFritidsverksamheten är öppen."
    assert adapt.own_names(doc, frozenset(), 5.0) == {"tessinparken"}
    assert not adapt.classify("Lagen (2018:1197) om barnets rättigheter gäller som svensk lag.", "Farsta", own_names=adapt.own_names(doc, frozenset(), 5.0)).local


def test_another_districts_judgment_and_sentences_leaning_on_the_one_before_are_not_common_ground() -> None:
    from assistant.draft.quotable import leans_on_context

    assert adapt.OPINION.search("Förvaltningen uppskattar att programmet knyter an till stadens idrottsstrategi.")
    assert adapt.OPINION.search("Förvaltningen betonar att planen behöver resurser.")
    assert not adapt.OPINION.search("Förvaltningen noterar att idrottsförvaltningen ansvarar för hallarna.")
    assert adapt.OPINION.search("Förvaltningen ser mycket positivt på att staden får ett samlat program.")
    assert leans_on_context("Flera av dessa planer beror på fastighetsägarna.")
    assert not leans_on_context("Flera planer beror på fastighetsägarna.")


def test_an_own_answer_on_another_subject_is_not_the_districts_history_on_this_point() -> None:
    """The district's own earlier answer comes first when it answers, but only when it is its history
    on this point: one the inquiry refers to, one to this very inquiry, or (a follow-up) one to the
    same inquiry as the answer it refers to. With neither a reference nor other districts' answers to
    this inquiry, one must answer about as well as the best other district's."""
    from types import SimpleNamespace

    from assistant.draft.relevance import PointEvidence, Scored
    from assistant.settings import DraftingSettings

    t = DraftingSettings()
    level = t.evidence_min

    def scored(doc_id: str, score: float, own: bool, group: str | None = None, referenced: bool = False) -> Scored:
        return Scored(SimpleNamespace(inquiry_group=group), SimpleNamespace(doc_id=doc_id), score, 0.0, own=own, referenced=referenced)  # type: ignore[arg-type]

    other = scored("other", level + 0.5, own=False, group="g1")
    off_subject = scored("off", level + 0.1, own=True, group="g2")
    on_subject = scored("on", level + 0.4, own=True, group="g3")
    # No reference, no other answer to this inquiry: the margin decides.
    ev = PointEvidence(point="p", ranked=[off_subject, on_subject, other])
    assert ev.answering(t) == [on_subject, other]
    assert PointEvidence(point="p", ranked=[off_subject]).answering(t) == [off_subject]
    # Other districts answered this very inquiry: an own answer is used only if it answers it too.
    ev = PointEvidence(point="p", ranked=[on_subject, other], same_inquiry=frozenset({"other"}))
    assert ev.answering(t) == [other]
    ev = PointEvidence(point="p", ranked=[on_subject, other], same_inquiry=frozenset({"other", "on"}))
    assert ev.answering(t) == [on_subject, other]
    # A follow-up: the answer it refers to, and the predecessor's answer to the same inquiry beside
    # it, are the district's history; its answer on another subject is not, however close.
    referenced = scored("ref", level + 0.1, own=True, group="g1", referenced=True)
    sibling = scored("sib", level + 0.05, own=True, group="g1")
    close = scored("close", level + 0.5, own=True, group="g4")
    ev = PointEvidence(point="p", ranked=[referenced, close, sibling, other])
    assert ev.answering(t) == [referenced, sibling, other]


@pytest.mark.slow
def test_a_follow_up_refers_to_the_answer_its_diarienummer_names_not_to_others_of_that_date(tmp_path: Path) -> None:
    """A follow-up names its earlier answer by diarienummer and date. Another answer of the district
    (or of a predecessor) bearing the same date is not referred to when a diarienummer names one, and
    the inquiry's own date in its letterhead refers to nothing."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, district, date, dnr, topic in [
        ("named", "Spånga-Tensta", "2022-03-24", "1.2-047/2022", "parkbänkar"),
        ("same_date", "Rinkeby-Kista", "2022-03-24", "1.2-099/2022", "gatubelysning"),
        ("letterhead", "Järva", "2024-03-14", "1.2-310/2024", "hundrastgårdar"),
    ]:
        body = ANSWER.format(district=district, date=date, topic=topic, asked=f"Frågan gäller {topic}.", law=f"Förvaltningen sköter {topic}.")
        (folder / f"{name}.txt").write_text(body.replace("Förvaltningens förslag", f"Dnr {dnr}\n\nFörvaltningens förslag", 1), encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "data"))
    assert assistant.ingest([folder]).ok
    drafter = PrecedentDrafter(assistant)
    text = "Skrivelse\n\nTill: Järva stadsdelsnämnd\nDatum: 2024-03-14\n\nI sitt svar den 24 mars 2022 (dnr 1.2-047/2022) angav förvaltningen att parkbänkarna skulle bytas.\n\n1. Har bänkarna bytts?"
    found = drafter.referenced_own(analyse_inquiry(text, "Järva"), [])
    names = {assistant.index.archive_features(assistant.store).records()[d]["diarienummer"] for d in found}
    assert names == {"1.2-047/2022"}
    # Without a diarienummer the date is all there is: both answers of that date, never the letterhead's.
    text = text.replace(" (dnr 1.2-047/2022)", "")
    found = drafter.referenced_own(analyse_inquiry(text, "Järva"), [])
    names = {assistant.index.archive_features(assistant.store).records()[d]["diarienummer"] for d in found}
    assert names == {"1.2-047/2022", "1.2-099/2022"}


def test_a_forvaltnings_measure_against_the_citys_norm_is_its_own_state() -> None:
    """Naming the city's rule does not make one förvaltning's measure of itself the city's: "the
    waiting time lies within what the city's guidelines give" is true only where it was written."""
    for sentence in (
        "Förvaltningen redovisar att handläggningstiden för bygglov i dag ligger inom den tid som stadens riktlinjer anger.",
        "Kötiden till simskolan har ökat och är i dag längre än vad stadens mål anger.",
        "Den ligger därmed väl under stadens genomsnitt för liknande verksamheter.",
    ):
        verdict = adapt.classify(sentence, "Farsta")
        assert verdict.local and verdict.reason.startswith(adapt.STATE_REASON), sentence
    # The city's rule itself is a norm, not a state.
    assert not adapt.classify("Enligt stadens riktlinjer ska en ansökan om bygglov handläggas inom tio veckor.", "Farsta").local


def test_a_plan_stays_the_forvaltnings_own_beside_a_figure_the_city_shares() -> None:
    sentence = "Med hänsyn till de långa köerna avser förvaltningen också att i samråd med kulturförvaltningen pröva om simskolan kan erbjudas redan från fyra års ålder."
    shared = frozenset(adapt.figure_units(sentence))
    verdict = adapt.classify(sentence, "Farsta", shared_figures=shared)
    assert verdict.local and "plan" in verdict.reason
    assert not adapt.classify("Simskolan kan enligt kulturförvaltningen erbjudas från fyra års ålder.", "Farsta", shared_figures=shared).local


def test_an_approximate_count_is_a_figure_whatever_it_counts() -> None:
    # Another district saying it works with music schools too does not make its count the city's.
    assert adapt.classify("Förvaltningen samarbetar med ett femtontal musikskolor.", "Farsta", corroborated=True).local
    assert adapt.classify("Ett 30-tal konstnärer ställer ut på konstrundan.", "Farsta").local
    assert not adapt.classify("I hela staden finns ett 40-tal bibliotek.", "Farsta").local
    # "ett antal" gives no number: it is the practice that decides, corroborated or not.
    corroborated = adapt.classify("Förvaltningen samarbetar med ett antal musikskolor.", "Farsta", corroborated=True)
    assert not corroborated.local


def test_a_sentence_opening_with_a_pronoun_leans_on_the_one_before() -> None:
    from assistant.draft.quotable import leans_on_context

    assert leans_on_context("Den ligger därmed väl inom tio arbetsdagar, vilket är vad stadens riktlinjer föreskriver.")
    assert leans_on_context("De har fått stöd av kulturförvaltningen.")
    assert not leans_on_context("Den som inte själv kan tillgodose sina behov har rätt till bistånd.")
    assert not leans_on_context("De personer som söker bygglov får svar inom tio veckor.")
    assert not leans_on_context("Den nya biblioteksplanen gäller från 2024.")


def test_a_company_is_no_law_and_what_a_forvaltning_calls_its_own_is_its_own() -> None:
    # "-bolagen" ends like a law ("-lagen") but names companies: no city marker.
    assert adapt.classify("Förvaltningen har en löpande kontakt med de större bostadsbolagen om snöröjningen på gårdarna.", "Farsta").local
    assert not adapt.classify("Enligt plan- och bygglagen ska en bygglovsansökan handläggas skyndsamt.", "Farsta").local
    # Its own register, its own premises: even beside a city body it reports to.
    assert adapt.classify("Förvaltningen för redan i dag ett eget register över bokade lokaler, som redovisas till kulturnämnden.", "Farsta").local
    # Ready to take on a proposal: its stance, not a fact.
    assert adapt.classify("Förvaltningen är beredd att utse platser för konstverken och att teckna avtal med konstnärerna.", "Farsta").local


@pytest.mark.slow
def test_what_the_inquiry_asks_about_is_not_one_districts_unit(tmp_path: Path) -> None:
    """A district that introduced "en simskola" of its own does not make every later "simskolan"
    local when the inquiry itself is about the simskola: the city's funding of it is stated as the
    receiving district's own (once, though two districts say it), the district's own figure about it
    is still flagged."""
    folder = tmp_path / "docs"
    folder.mkdir()
    answers = [
        ("a", "Bromma", "2023-04-03", "Förvaltningen driver en simskola i Ekbackens bad med 40 platser.", "Simskolan finansieras genom att nämnden tilldelas medel för simskolan genom stadens resursfördelningsmodell, efter antalet barn i åldern 6–9 år."),
        ("b", "Skarpnäck", "2023-04-10", "I Flatenbadet finns en simskola med 25 platser.", "Simskolan finansieras med medel som fördelas genom stadens resursfördelningsmodell efter antalet barn i åldern 6–9 år."),
    ]
    for name, district, date, local, city in answers:
        body = ANSWER.format(district=district, date=date, topic="simskolan", asked="Skrivelsen frågar hur simskolan finansieras och hur många platser simskolan har.", law=f"{local}\n\n{city}")
        (folder / f"{name}.txt").write_text(body, encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "data"))
    assert assistant.ingest([folder]).ok
    inquiry = "Skrivelse om simskolan\n\nTill Farsta stadsdelsnämnd\n\nHur finansieras simskolan, och hur många platser har simskolan?"
    draft = assistant.draft(inquiry, district="Farsta")
    own = " ".join(p.text for s in draft.sections for p in s.paragraphs if p.role not in ("local", "question", "inquiry", "meta") and not p.flags)
    assert "resursfördelningsmodell" in own
    assert "40 platser" not in own and "25 platser" not in own
    # The two districts' paraphrases of the same city fact are stated once in the answer.
    answer = next(s for s in draft.sections if s.heading.startswith("Förvaltningens synpunkter"))
    stated = [p.text for p in answer.paragraphs if p.role == "content" and not p.flags]
    assert sum("resursfördelningsmodell" in t for t in stated) == 1, stated


def test_a_part_of_a_district_name_is_a_place_in_that_district() -> None:
    """ "i västra Tensta" is a place of Spånga-Tensta (Järva), local wherever it is quoted, even when
    the answers of a former district and its successor both name it."""
    from assistant.draft import districts

    sentence = "Bostadsbolaget har erbjudit sig att bekosta belysningen vid den nya boulebanan i västra Tensta."
    assert districts.places(sentence) == ["Tensta"]
    assert adapt.classify(sentence, "Spånga-Tensta", shared_names=frozenset({"tensta"})).local
    assert districts.places("Spånga-Tensta stadsdelsnämnd har beslutat.") == []  # the district itself, as a whole
    assert adapt.classify("I Spångas centrum finns en boulebana.", "Järva").local


@pytest.mark.parametrize(
    "sentence",
    [
        # Its counted staff, after a city unit that makes the rest of the sentence look shared.
        "Låntagare hänvisas till stadsbiblioteket, men förvaltningens två bibliotekarier ger också läxhjälp till elever i årskurs 7–9.",
        # Counts by year, the committee after the verb, the years after "under åren".
        "Under åren 2020, 2021 och 2022 gjorde nämnden tre, fem respektive fyra anmälningar om bygglov.",
        # A deadline in a routine of its own.
        "Inför att ett kolonilottskontrakt sägs upp hålls ett samtal senast två veckor före uppsägningen.",
        # A measured average, beside the city's rule for it.
        "Den besiktning som enligt stadens riktlinjer ska göras inom 30 dagar gjordes under 2022 i genomsnitt 21 dagar efter anmälan.",
    ],
)
def test_counts_deadlines_and_averages_of_one_forvaltning_are_local(sentence: str) -> None:
    assert adapt.classify(sentence, "Farsta", shared_names=frozenset({"stadsbiblioteket"})).local


def test_a_city_wide_average_or_deadline_stays_the_citys() -> None:
    assert not adapt.classify("I hela staden gjordes besiktningen i genomsnitt 21 dagar efter anmälan under 2022.", "Farsta").local
    assert not adapt.classify("Enligt stadens riktlinjer ska en besiktning göras inom 30 dagar efter anmälan.", "Farsta").local


def test_a_figure_a_city_document_prescribes_is_the_citys_whoever_follows_it() -> None:
    follows = "Förvaltningen följer stadens riktlinjer för bygglovshandläggning, som anger att förvaltningen ska svara på en anmälan inom 30 dagar från ankomsten."
    assert not adapt.classify(follows, "Farsta").local
    # Its own count after the prescription is still its own.
    assert adapt.classify("Förvaltningen följer stadens riktlinjer, som anger att svar ska lämnas inom 30 dagar, och förvaltningen har 12 handläggare.", "Farsta").local


def test_that_forvaltnings_unit_named_by_its_definite_form_is_local() -> None:
    assert adapt.classify("Den som inte vill delta i gruppen erbjuds enskild vägledning hos enheten eller hänvisas till Kulturhuset.", "Farsta", shared_names=frozenset({"kulturhuset"})).local


@pytest.mark.parametrize(
    "sentence",
    [
        # The count stands in a clause of its own; the city's bidrag is in the clause set off after it.
        "På varje enhet finns en friskvårdsombud, sammanlagt 27 ombud, som påminner kollegorna om stadens friskvårdsbidrag.",
        "Lovverksamheten omfattade 3,2 miljoner kronor, varav en del finansierades med statsbidrag.",
        # A date or a routine in the förvaltning's own clause, after a clause about the city.
        "Staden har antagit en jämställdhetsplan, och förvaltningen redovisar sedan 2021 besöken uppdelat på kön varje månad.",
        # A routine at a longer interval, dated by the sentence's opening year.
        "Från 2022 erbjuds väntande familjer dessutom ett uppföljningssamtal var tredje månad.",
    ],
)
def test_whose_a_figure_date_or_routine_is_is_said_in_its_own_clause(sentence: str) -> None:
    assert adapt.classify(sentence, "Farsta").local


@pytest.mark.parametrize(
    "sentence",
    [
        # The figure in a relative clause belongs to the noun the clause describes: the city's costs.
        "Det kan jämföras med stadens samlade kostnader för tolk, som enligt stadsledningskontoret uppgick till 61 miljoner kronor.",
        # A defining relative clause says what is counted: people in all of Stockholm.
        "I Socialstyrelsens undersökning svarade 54 procent av dem som har hemtjänst i Stockholm att de ofta känner sig ensamma.",
        # "som helhet" after the city: the city's figure.
        "Staden som helhet hade en sjukfrånvaro på 7,4 procent under 2021.",
        # A convention's article is no count, nor is a document's year a local event.
        "Enligt artikel 12 i barnkonventionen, som är lag i Sverige, har barnet rätt att komma till tals.",
        "Äldrenämndens kvalitetskriterier från 2019 anger vad en träffpunkt ska erbjuda.",
    ],
)
def test_a_figure_or_date_in_the_citys_clause_stays_the_citys(sentence: str) -> None:
    assert not adapt.classify(sentence, "Farsta").local


def test_a_word_ending_in_tal_is_no_approximate_count() -> None:
    # "ett välkomstsamtal", "ett planeringssamtal": a conversation, not "ett tiotal".
    assert not adapt.classify("Enligt lagen ska den enskilde erbjudas ett planeringssamtal inom en månad.", "Farsta").local
    assert adapt.classify("Förvaltningen samarbetar med ett tjugotal föreningar.", "Farsta").local


def test_a_district_set_against_the_rest_of_the_city_is_that_districts_state() -> None:
    assert adapt.classify("Jämfört med andra delar av staden är en större andel av de sökande över 65 år.", "Farsta").local
    assert adapt.classify("Väntetiden är kortare än i övriga stadsdelsområden.", "Farsta").local
    # The city set against the country is the city's.
    assert not adapt.classify("Staden som helhet har en högre andel äldre än riket.", "Farsta").local


def test_the_area_after_its_verb_is_that_district() -> None:
    assert adapt.classify("Under 2019 tog stadsdelsområdet emot 41 hushåll som anvisats till staden.", "Farsta").local


@pytest.mark.parametrize(
    "sentence",
    [
        # The city's instrument named first, then followed by a pronoun.
        "Äldreförvaltningen har tagit fram en gemensam rutin vid höga temperaturer, och förvaltningen arbetar efter den.",
        # Whose the responsibility is: the city body's, and every nämnd's.
        "Trafiknämnden förvaltar gator och torg, medan lokalparkerna är nämndens ansvar.",
        # The area in what a city document sets out is every district's.
        "Nämnden tilldelas medel genom stadens resursfördelningsmodell, där hänsyn tas till åldersstrukturen i stadsdelsområdet.",
        # Who sets every nämnd's budget.
        "Nämndens budget fastställs årligen av kommunfullmäktige.",
    ],
)
def test_what_every_district_follows_or_is_given_is_the_citys(sentence: str) -> None:
    assert not adapt.classify(sentence, "Farsta").local


def test_a_routine_of_its_own_followed_by_a_pronoun_stays_its_own() -> None:
    assert adapt.classify("Förvaltningen har tagit fram en egen rutin för värmebölja och arbetar efter den.", "Farsta").local
    assert adapt.classify("Lokalparkerna i stadsdelsområdet är nämndens ansvar.", "Farsta").local


def test_a_name_several_districts_use_does_not_hide_the_next_name() -> None:
    # "Ljusgården" is shared (several districts name the foundation); "Mariaberget" is this one's place.
    sentence = "Stiftelsen Ljusgården tillhandahåller genom avtal med förvaltningen stödboende för personer i behandling vid Mariaberget."
    verdict = adapt.classify(sentence, "Södermalm", shared_names=frozenset({"ljusgården"}))
    assert verdict.local and "Mariaberget" in verdict.reason
    assert not adapt.classify("Stiftelsen Ljusgården tillhandahåller stödboende i hela staden.", "Södermalm", shared_names=frozenset({"ljusgården"})).local


@pytest.mark.parametrize(
    "sentence",
    [
        "Gruppen inrättades 2016 för att ge nyanlända en ingång till förvaltningen.",
        "Därefter erbjuds en introduktionsdag, samt två föreläsningskvällar per år.",
        "Hjorthagsparken, som förvaltningen tog över från exploateringskontoret 2020, har flera träd som behöver bytas ut.",
    ],
)
def test_what_was_set_up_held_or_taken_over_is_that_forvaltnings(sentence: str) -> None:
    assert adapt.classify(sentence, "Farsta").local


def test_a_law_dated_by_its_year_or_a_city_routine_per_year_stays_the_citys() -> None:
    assert not adapt.classify("Lagen infördes 2018 och gäller alla kommuner.", "Farsta").local
    assert not adapt.classify("Enligt stadens riktlinjer ska kontaktpersonen erbjudas två uppföljningar per år.", "Farsta").local


def test_another_forvaltnings_judgment_or_proposal_is_its_own_whatever_body_it_names() -> None:
    # A view or a proposal is for the receiving förvaltning to take or leave.
    assert adapt.classify("Förvaltningen anser att staden bör pröva en gemensam telefonrådgivning på fler språk.", "Farsta").local
    assert adapt.classify("Förvaltningen föreslår därför att socialförvaltningen får ett större ansvar för hemlösa barnfamiljer.", "Farsta").local
    # What it only points out is a fact: the law's, here.
    assert not adapt.classify("Förvaltningen vill också framhålla att nedskräpning är straffbar enligt 29 kap. 7 § miljöbalken.", "Farsta").local


@pytest.mark.parametrize(
    ("sentence", "head"),
    [
        ("Stadsdelsnämnderna får medel genom stadens investeringsbudget, och nämndens ram för 2022 är 3,9 miljoner kronor.", "Stadsdelsnämnderna får medel genom stadens investeringsbudget"),
        ("Trafikkontoret ansvarar för de stora parkerna, medan de lokala parkerna sköts av nämnden.", "Trafikkontoret ansvarar för de stora parkerna"),
        ("Lagen gäller sedan 2020; förvaltningen har sedan dess utbildat all personal.", "Lagen gäller sedan 2020"),
        ("När stadens riktlinjer ändrades, och förvaltningen fick nya medel, anställdes två fixare.", None),
        ("Förvaltningen har 14 sandlådor och byter sand varje år.", None),
        # Not inside brackets: the clause after the bracket is the one that ends.
        ("Lagen (SFS 2001:453; ändrad 2020) gäller alla kommuner, och förvaltningen har utbildat personalen.", "Lagen (SFS 2001:453; ändrad 2020) gäller alla kommuner"),
    ],
)
def test_the_first_main_clause_of_a_sentence(sentence: str, head: str | None) -> None:
    cut = adapt.first_main_clause(sentence)
    assert (sentence[: cut[0]] if cut else None) == head


SANDBOXES = {
    "topic": "sand i lekplatsernas sandlådor",
    "asked": "Skrivelsen frågar hur ofta sanden i lekplatsernas sandlådor byts.",
}

SANDBOX_ANSWERS = [
    ("a", "Bromma", "2023-04-03", "Enligt stadens riktlinjer för lekplatser ska sanden i sandlådorna bytas minst vartannat år, och förvaltningen byter i dag sanden i 14 sandlådor varje vår."),
    ("b", "Skarpnäck", "2023-04-10", "Stadens riktlinjer för lekplatser anger att sanden i sandlådorna ska bytas minst vartannat år, men förvaltningen har avsatt 120 000 kronor för att byta sanden varje år."),
    ("c", "Södermalm", "2023-04-17", "Lekplatserna besiktigas varje år av en certifierad besiktningsman enligt den europeiska standarden för lekredskap."),
]


@pytest.mark.slow
def test_a_city_rule_and_one_forvaltnings_own_deed_in_one_sentence_are_stated_and_confirmed_apart(tmp_path: Path) -> None:
    """Two districts write the city's rule and their own practice in one sentence each: the draft states
    the rule (the sentence's first clause, cited exactly) as the receiving district's own and puts what
    each förvaltning does to the officer for confirmation; neither förvaltning's figure is stated."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, district, date, text in SANDBOX_ANSWERS:
        (folder / f"{name}.txt").write_text(ANSWER.format(district=district, date=date, law=text, **SANDBOXES), encoding="utf-8")
    assistant = Assistant(Settings(data_dir=tmp_path / "data"))
    assert assistant.ingest([folder]).ok
    inquiry = "Skrivelse om sanden i sandlådorna\n\nTill Farsta stadsdelsnämnd\n\nHur ofta byts sanden i lekplatsernas sandlådor?"
    draft = assistant.draft(inquiry, district="Farsta")
    paragraphs = [p for s in draft.sections for p in s.paragraphs]
    own = " ".join(p.text for p in paragraphs if p.role not in ("local", "question", "inquiry", "meta") and not any(f.kind == "att_bekrafta" for f in p.flags))
    confirmed = " ".join(p.text for p in paragraphs if p.role == "local")
    assert "minst vartannat år." in own  # the rule, as a sentence of its own
    for local in ("14 sandlådor", "120 000 kronor"):
        assert local not in own
    assert "14 sandlådor" in confirmed or "120 000 kronor" in confirmed
    cited = {c.id: c for c in draft.citations}
    for p in paragraphs:
        if "minst vartannat år." in p.text and p.role != "local":
            quote = cited[p.citations[0]].quote
            assert quote.endswith("minst vartannat år") and "," not in quote[-3:]


def test_answers_to_this_very_inquiry_answer_it_however_crowded_its_neighbourhood() -> None:
    """Two retrieved answers to this very inquiry that each answer the point make it answered, even
    when a neighbouring subject keeps the best document close to the background; one such answer, or
    two that do not reach the evidence level, do not."""
    from types import SimpleNamespace

    from assistant.draft.relevance import PointEvidence, Scored
    from assistant.settings import DraftingSettings

    t = DraftingSettings()

    def scored(doc_id: str, evidence: float) -> Scored:
        return Scored(SimpleNamespace(inquiry_group=None), SimpleNamespace(doc_id=doc_id), evidence, 0.0, own=False)  # type: ignore[arg-type]

    level = t.evidence_min + 0.05  # each answers the point, none stands out from its neighbours
    crowded = [scored("a", level), scored("b", level), scored("near1", level), scored("near2", level), scored("near3", level - 0.01)]
    assert not PointEvidence(point="p", ranked=crowded).answerable(t, available=500)
    assert PointEvidence(point="p", ranked=crowded, same_inquiry=frozenset({"a", "b"})).answerable(t, available=500)
    assert not PointEvidence(point="p", ranked=crowded, same_inquiry=frozenset({"a"})).answerable(t, available=500)
    weak = [scored("a", t.evidence_min - 0.2), scored("b", t.evidence_min - 0.2), *crowded[2:]]
    assert not PointEvidence(point="p", ranked=weak, same_inquiry=frozenset({"a", "b"})).answerable(t, available=500)
