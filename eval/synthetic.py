"""Synthetic tjänsteutlåtanden for benchmarks. NOT real records.

Every generated document says so twice: its first line reads "SYNTETISKT DOKUMENT" and its
metadata has ``synthetic=True`` (``real_public_record=False``). They exist to measure speed and
memory at sizes the five real seeds cannot reach, never to be cited.

The generator mimics how the real corpus is shaped: an inquiry (skrivelse or motion from a party,
with questions) is sent to several districts and each district answers it in a tjänsteutlåtande
with the city's standard sections, restating the inquiry and answering in its own words. Topics,
parties, districts, dates, law references and sentence choices vary, driven by a seeded RNG, so a
run is reproducible.

    from eval.synthetic import generate
    docs, inquiries = generate(200, seed=1)
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from assistant.models import DocumentMetadata, ParsedDocument, Section

MARK = "SYNTETISKT DOKUMENT – genererat för prestandamätning, inte en verklig handling."

DISTRICTS = [
    "Bromma", "Enskede-Årsta-Vantör", "Farsta", "Hägersten-Älvsjö", "Hässelby-Vällingby", "Järva",
    "Kungsholmen", "Norrmalm", "Skarpnäck", "Skärholmen", "Södermalm", "Östermalm",
]  # fmt: skip
PARTIES = {"L": "Liberalerna", "M": "Moderaterna", "KD": "Kristdemokraterna", "S": "Socialdemokraterna",
           "V": "Vänsterpartiet", "MP": "Miljöpartiet", "C": "Centerpartiet", "SD": "Sverigedemokraterna"}  # fmt: skip
FIRST = ["Anna", "Erik", "Maria", "Johan", "Sara", "Mikael", "Lena", "Ahmed", "Karin", "Oskar", "Fatima", "Per"]
LAST = ["Lindqvist", "Berg", "Holm", "Nyström", "Ek", "Sandberg", "Öberg", "Karimi", "Wallin", "Åkesson"]


@dataclass(frozen=True)
class Topic:
    key: str
    subject: str
    focus: list[str]
    background: list[str]
    questions: list[str]
    answers: list[str]
    laws: list[str] = field(default_factory=list)


TOPICS = [
    Topic(
        "rsu", "samverkan kring elever i särskilda undervisningsgrupper",
        ["RSU-grupper", "CSU-grupper", "resursskolor", "särskilda undervisningsgrupper"],
        ["Elever i {focus} har ofta behov av insatser från flera aktörer, som socialtjänsten och barn- och ungdomspsykiatrin.",
         "Det finns brister i samverkan mellan skolan och socialtjänsten kring elever i {focus}.",
         "Skolorna får inte alltid information om pågående insatser, och insatserna samordnas inte med skolans arbete."],
        ["Hur arbetar stadsdelsförvaltningen för att etablera nära samverkan kring elever i {focus}?",
         "Hur använder socialtjänsten tiden som elever går i {focus} för att inhämta information till barnavårdsutredningar?",
         "Vilka rutiner finns för att samordna insatser med skolan för elever i {focus}?"],
        ["Socialtjänsten inhämtar information från skolan i pågående utredningar enligt {law}.",
         "Förvaltningen har fältassistenter och skolsociala team som arbetar nära skolorna i stadsdelsområdet.",
         "Samverkan kring enskilda elever kräver samtycke från vårdnadshavare, utom när lagen medger annat.",
         "Det finns i dag ingen särskild samverkansstruktur kring {focus}; samverkan sker inom ordinarie verksamhet.",
         "Förvaltningen bedömer att den nuvarande samverkan med utbildningsförvaltningen motsvarar behoven."],
        ["11 kap. 2 § socialtjänstlagen", "14 kap. 1 § socialtjänstlagen", "10 kap. 1 § offentlighets- och sekretesslagen"],
    ),
    Topic(
        "aldre", "äldreomsorgens kvalitet och bemanning",
        ["hemtjänsten", "vård- och omsorgsboenden", "dagverksamheten", "nattpatrullen"],
        ["Många äldre upplever att personalkontinuiteten inom {focus} är låg.",
         "Brukarundersökningen visar att nöjdheten med {focus} har minskat i flera stadsdelar.",
         "Bemanningen inom {focus} har påverkats av svårigheter att rekrytera undersköterskor."],
        ["Hur säkerställer förvaltningen personalkontinuiteten inom {focus}?",
         "Vilka åtgärder vidtas för att öka nöjdheten med {focus}?",
         "Hur många timanställda arbetar i dag inom {focus}?"],
        ["Förvaltningen arbetar med små arbetslag inom {focus} för att minska antalet personer som besöker varje brukare.",
         "Under året har en kompetenssatsning genomförts för undersköterskor och vårdbiträden.",
         "Andelen timanställda har minskat sedan förra året genom fler tillsvidareanställningar.",
         "Enligt {law} ska den enskilde tillförsäkras en skälig levnadsnivå och insatserna ska vara av god kvalitet."],
        ["4 kap. 1 § socialtjänstlagen", "3 kap. 3 § socialtjänstlagen", "5 kap. 4 § socialtjänstlagen"],
    ),
    Topic(
        "fritid", "öppettider och verksamhet på fritidsgårdar",
        ["fritidsgårdarna", "helgöppna träffpunkter", "sommarlovsaktiviteter", "mötesplatser för unga"],
        ["Ungdomar efterfrågar längre öppettider på {focus}, särskilt på fredagar och lördagar.",
         "Besöksantalet på {focus} har ökat men flickor besöker verksamheten i lägre grad än pojkar.",
         "Föräldrar och polis har framfört att {focus} är viktiga för tryggheten under kvällstid."],
        ["Hur avser förvaltningen att utöka öppettiderna för {focus}?",
         "Vilka insatser görs för att fler flickor ska besöka {focus}?",
         "Hur följs verksamheten vid {focus} upp?"],
        ["Förvaltningen har utökat öppettiderna på {focus} under helger inom befintlig budget.",
         "Särskilda tjejkvällar har införts och följs upp genom besöksstatistik.",
         "Verksamheten följs upp genom stadens kvalitetsuppföljning och dialog med ungdomsråd.",
         "Fältassistenterna samverkar med {focus} och med polisen i det brottsförebyggande arbetet."],
        [],
    ),
    Topic(
        "bistand", "ekonomiskt bistånd och vägen till arbete",
        ["ekonomiskt bistånd", "jobbtorg", "arbetsmarknadsinsatser", "försörjningsstöd"],
        ["Antalet hushåll med {focus} har ökat under det senaste året.",
         "Långvarigt beroende av {focus} påverkar barnens uppväxtvillkor.",
         "Samarbetet mellan socialtjänsten och Jobbtorg Stockholm kring {focus} behöver utvecklas."],
        ["Hur arbetar förvaltningen för att minska långvarigt beroende av {focus}?",
         "Hur samverkar socialtjänsten med Jobbtorg Stockholm kring {focus}?",
         "Hur beaktas barnets bästa vid handläggning av {focus}?"],
        ["Alla sökande som kan arbeta anvisas till Jobbtorg Stockholm inom en vecka.",
         "Enligt {law} har den som inte själv kan tillgodose sina behov rätt till bistånd.",
         "En barnkonsekvensanalys görs i varje ärende där barn berörs av beslut om {focus}.",
         "Förvaltningen har infört gemensamma planeringsmöten med Jobbtorg varannan vecka."],
        ["4 kap. 1 § socialtjänstlagen", "4 kap. 4 § socialtjänstlagen", "1 kap. 2 § socialtjänstlagen"],
    ),
    Topic(
        "trygghet", "trygghet i offentlig miljö",
        ["Vällingby centrum", "tunnelbanestationerna", "parkerna", "gångtunnlarna", "torget"],
        ["Boende upplever otrygghet kvällstid kring {focus}.",
         "Trygghetsmätningen visar att kvinnor i högre grad än män undviker {focus} efter mörkrets inbrott.",
         "Nedskräpning och dålig belysning kring {focus} bidrar till otryggheten."],
        ["Vilka åtgärder vidtar förvaltningen för att öka tryggheten kring {focus}?",
         "Hur samverkar förvaltningen med polisen och fastighetsägare kring {focus}?",
         "När kommer belysningen kring {focus} att förbättras?"],
        ["Förvaltningen genomför trygghetsvandringar kring {focus} tillsammans med polisen och boende.",
         "Belysningen kring {focus} förbättras under året i samarbete med trafikkontoret.",
         "Ett medborgarlöfte har tecknats med lokalpolisområdet med fokus på {focus}.",
         "Fältassistenter och trygghetsvärdar är närvarande kvällstid på helger."],
        [],
    ),
    Topic(
        "forskola", "förskolans kvalitet och barngruppernas storlek",
        ["förskolorna", "barngrupperna", "språkutvecklingen", "förskolans utemiljö"],
        ["Barngrupperna i {focus} är på flera håll större än Skolverkets riktmärken.",
         "Vårdnadshavare har uttryckt oro för personaltätheten i {focus}.",
         "Andelen barn med annat modersmål ställer krav på arbetet med {focus}."],
        ["Hur stora är barngrupperna i {focus} i dag?",
         "Vilka åtgärder vidtas för att stärka {focus}?",
         "Hur arbetar förvaltningen med kompetensutveckling för personalen i {focus}?"],
        ["Förvaltningen följer barngruppernas storlek två gånger per år och redovisar dem för nämnden.",
         "Språkombud finns på varje förskoleenhet och arbetar med {focus}.",
         "Enligt {law} ska barngrupperna ha en lämplig sammansättning och storlek.",
         "En satsning på utomhuspedagogik pågår för att utveckla {focus}."],
        ["8 kap. 8 § skollagen", "2 kap. 5 § skollagen"],
    ),
    Topic(
        "hemloshet", "hemlöshet och akut boende för barnfamiljer",
        ["barnfamiljer i akut boende", "vandrarhemsboenden", "bostad först", "andrahandskontrakt"],
        ["Antalet {focus} har ökat kraftigt.",
         "Barn som bor i {focus} byter ofta skola och förlorar kontakten med kamrater.",
         "Kostnaderna för {focus} belastar socialtjänstens budget."],
        ["Hur många barn lever i dag i {focus} i stadsdelsområdet?",
         "Hur säkerställer förvaltningen barnens skolgång för {focus}?",
         "Vilka alternativ till {focus} har förvaltningen prövat?"],
        ["Förvaltningen har en samordnare som följer varje barnfamilj i {focus}.",
         "Skolgången säkras genom samverkan med utbildningsförvaltningen och skolskjuts vid behov.",
         "Bostad först har prövats för ett mindre antal hushåll med goda resultat.",
         "Enligt {law} ska socialnämnden verka för att den enskilde får en skälig levnadsnivå."],
        ["4 kap. 1 § socialtjänstlagen", "5 kap. 1 § socialtjänstlagen"],
    ),
    Topic(
        "park", "parkernas skötsel och lekplatsernas upprustning",
        ["lekplatserna", "parklekarna", "plaskdammarna", "hundrastgårdarna"],
        ["Flera av {focus} i stadsdelsområdet är slitna och behöver rustas upp.",
         "Tillgängligheten vid {focus} är bristande för barn med funktionsnedsättning.",
         "Boende efterfrågar bättre skötsel av {focus} under sommaren."],
        ["När planerar förvaltningen att rusta upp {focus}?",
         "Hur arbetar förvaltningen med tillgänglighet vid {focus}?",
         "Hur prioriteras skötseln av {focus}?"],
        ["Upprustningen av {focus} sker enligt en flerårig investeringsplan.",
         "Tillgänglighetsinventering har gjorts och åtgärder prioriteras efter behov.",
         "Skötseln upphandlas och följs upp genom regelbundna kontroller.",
         "Medborgardialog genomförs innan större förändringar av {focus}."],
        [],
    ),
]


@dataclass
class Inquiry:
    """One synthetic inquiry and the documents generated about it."""

    inquiry_id: str
    topic: str
    party: str
    questions: list[str]
    doc_ids: list[str] = field(default_factory=list)


class _Builder:
    """Assembles text and records section offsets as it goes."""

    def __init__(self) -> None:
        self.text = ""
        self.sections: list[Section] = []

    def line(self, s: str = "") -> None:
        self.text += s + "\n"

    def section(self, heading: str, paragraphs: list[str]) -> None:
        self.text += "\n"
        start = len(self.text)
        self.text += heading + "\n\n"
        body = len(self.text)
        self.text += "\n\n".join(paragraphs) + "\n"
        self.sections.append(Section(heading=heading, canonical=heading, start=start, end=len(self.text), body_start=body))


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _fill(template: str, focus: str, rng: random.Random, topic: Topic) -> str:
    law = rng.choice(topic.laws) if topic.laws else "kommunallagen"
    return template.format(focus=focus, law=law)


def _answer(
    rng: random.Random, district: str, date: str, inquiry: Inquiry, topic: Topic, focus: str, n_paragraphs: int
) -> _Builder:
    b = _Builder()
    b.line(MARK)
    b.line("Handläggare")
    b.line(f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    b.line(f"Telefon: 08-508 {rng.randint(10000, 99999)}")
    b.line()
    b.line("Till")
    b.line(f"{district} stadsdelsnämnd")
    b.line(date)
    b.line()
    party_name = PARTIES[inquiry.party]
    b.line(f"Svar på skrivelse från ({inquiry.party}) om {topic.subject}")
    b.line(f"Dnr {rng.randint(1, 9)}.{rng.randint(1, 9)}-{rng.randint(100, 999)}/{rng.randint(2012, 2025)}")
    b.section(
        "Förvaltningens förslag till beslut",
        [f"{district} stadsdelsnämnd godkänner förvaltningens tjänsteutlåtande som svar på skrivelsen."],
    )
    b.section(
        "Sammanfattning",
        [f"I skrivelsen från {party_name} ställs frågor om {topic.subject}, särskilt {focus}. "
         + _fill(rng.choice(topic.answers), focus, rng, topic)],
    )
    restated = [_fill(s, focus, rng, topic) for s in topic.background]
    restated.append(f"{party_name} ställer följande frågor:")
    restated.extend(f"{i}. {q.replace('stadsdelsförvaltningen', f'stadsdelsförvaltningen i {district}')}"
                    for i, q in enumerate(inquiry.questions, start=1))
    b.section("Ärendet", restated)
    b.section("Ärendets beredning", [f"Ärendet har beretts inom avdelningen för {rng.choice(['barn och unga', 'äldreomsorg', 'socialtjänst', 'stadsmiljö', 'kultur och fritid'])} i {district}."])
    paragraphs = []
    for _ in range(n_paragraphs):
        picks = rng.sample(topic.answers, k=min(len(topic.answers), rng.randint(2, 4)))
        extra = f" Under {rng.randint(2015, 2025)} berördes cirka {rng.randint(12, 900)} personer i {district}."
        paragraphs.append(" ".join(_fill(p, focus, rng, topic) for p in picks) + extra)
    b.section("Förvaltningens synpunkter och förslag", paragraphs)
    b.section("Bilagor", [f"1. Skrivelse från ({inquiry.party}) om {topic.subject}"])
    return b


def _inquiry_document(rng: random.Random, inquiry: Inquiry, topic: Topic, focus: str) -> _Builder:
    b = _Builder()
    b.line(MARK)
    b.line(f"Skrivelse från {PARTIES[inquiry.party]} ({inquiry.party}) om {topic.subject}")
    b.line()
    b.line(" ".join(_fill(s, focus, rng, topic) for s in topic.background))
    b.line()
    b.line("Vi vill mot denna bakgrund ställa följande frågor:")
    b.line()
    for q in inquiry.questions:
        b.line(f"- {q}")
    return b


def generate(n_docs: int, seed: int = 0, answers_per_inquiry: tuple[int, int] = (2, 5)) -> tuple[list[ParsedDocument], list[Inquiry]]:
    """``n_docs`` synthetic documents (inquiries and their answers) and the inquiries behind them.

    Answers are long (``4-14`` paragraphs in "Förvaltningens synpunkter och förslag"), so a document
    makes 6-20 chunks at the default chunk size, like the real answers.
    """
    rng = random.Random(seed)
    docs: list[ParsedDocument] = []
    inquiries: list[Inquiry] = []
    while len(docs) < n_docs:
        topic = rng.choice(TOPICS)
        focus = rng.choice(topic.focus)
        party = rng.choice(list(PARTIES))
        questions = [_fill(q, focus, rng, topic) for q in rng.sample(topic.questions, k=rng.randint(2, len(topic.questions)))]
        inquiry = Inquiry(f"inq{len(inquiries):05d}", topic.key, party, questions)
        inquiries.append(inquiry)
        date = _date(rng)
        builders: list[tuple[_Builder, DocumentMetadata]] = []
        if rng.random() < 0.5:
            meta = DocumentMetadata(kind="skrivelse", date=date, parties=[party], title=f"Skrivelse om {topic.subject}", synthetic=True)
            builders.append((_inquiry_document(rng, inquiry, topic, focus), meta))
        for district in rng.sample(DISTRICTS, k=rng.randint(*answers_per_inquiry)):
            meta = DocumentMetadata(
                district=district, date=date, kind="tjänsteutlåtande", parties=[party],
                title=f"Svar på skrivelse från ({party}) om {topic.subject}", synthetic=True,
            )  # fmt: skip
            builders.append((_answer(rng, district, date, inquiry, topic, focus, rng.randint(4, 14)), meta))
        for b, meta in builders:
            if len(docs) >= n_docs:
                break
            doc_id = f"syn{len(docs):06d}"
            inquiry.doc_ids.append(doc_id)
            docs.append(
                ParsedDocument(
                    doc_id=doc_id,
                    source=f"synthetic://{doc_id}.txt",
                    content_hash=hashlib.sha256(b.text.encode("utf-8")).hexdigest(),
                    metadata=meta,
                    sections=b.sections,
                    text=b.text,
                )
            )
    return docs, inquiries
