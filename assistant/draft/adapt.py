"""Adapting a precedent sentence to the receiving district, and telling city-wide from local facts.

A sentence from another district's tjänsteutlåtande is one of two things:

* **city-wide** – law, the city's programmes and joint working models ("stadens", "Stockholms stad"),
  general practice of socialtjänsten. It may be reused with the precedent's self-references
  ("Skarpnäcks stadsdelsnämnd") rewritten for the receiving district.
* **local** – it names its district or another one, a place, school, team or project there (a capitalised
  name that is not a Swedish word), local figures, or says "i stadsdelsområdet"/"vår stadsdel". It is
  never stated as the receiving district's fact; the drafter shows it for confirmation instead.

No word lists about particular districts: district names come from the registry, unknown proper nouns
from the wordfreq lexicon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

from assistant import registry
from assistant.draft import districts
from assistant.settings import DraftingSettings, get_settings
from assistant.text import LAW_REF, NAMED_LAW, SOL_REF, law_terms, unwrap, words

# Words that say "here, in our district" without naming it.
_LOCAL_PHRASES = re.compile(
    r"\b(i|inom|för|från|utanför|av)\s+(stadsdelsområdet|stadsdelen|vår\s+stadsdel|vårt\s+område|området)\b"
    r"|\bvår(a|t)?\s+(stadsdel|skol|förskol|fritidsgård|verksamhet)\w*"
    # "erbjuds individuella samtal hos enheten": that förvaltning's unit, named by its definite form.
    r"|\b(?:hos|vid|på|inom)\s+(?:enheten|avdelningen|sektionen)\b"
    # "placerad vid avdelningen för förebyggande arbete": its own organisation. A city body's unit is
    # written with its owner and without the article ("socialförvaltningens avdelning för …").
    r"|\b(?:avdelningen|enheten|sektionen)\s+för\s+[a-zåäö]"
    # "… varierar mellan enheterna": its units.
    r"|\b(?:mellan|på|i|inom|vid|hos)\s+(?:enheterna|avdelningarna|sektionerna|arbetsgrupperna)\b"
    r"|\bhär\s+i\s+stadsdel"
    # The area itself as the subject or owner: "Stadsdelsområdet har en ung befolkning", "stadens
    # naturområden" is the city's, "stadsdelsområdets naturområden" one district's.
    r"|^(?:stadsdelsområdet|stadsdelen)\b|\bstadsdelsområdets\b|\bstadsdelens\b"
    # … after its verb too: "Under 2018 tog stadsdelsområdet emot 35 hushåll".
    r"|\b(?:har|hade|tog|fick|får|tar|är|var|ger|gav|blev)\s+(?:stadsdelsområdet|stadsdelen)\b"
    r"|\b(?:i|inom)\s+ett\s+stadsdelsområde\s+(?:där|som|med)\b"
    # "det lokala brottsförebyggande rådet" is theirs; "de lokala ordningsföreskrifterna" are the
    # municipality's regulations (ordningslagen), whoever cites them.
    r"|\b(det|den|de)\s+lokala\b(?!\s+(?:ordnings)?föreskrift)",
    re.IGNORECASE,
)
# Markers of what holds for the whole city or the country. A word ending in "-lagen" is a law
# ("socialtjänstlagen") unless it ends in one of the common nouns that end so ("förslagen",
# "underlagen", "bostadsbolagen").
_CITY_WIDE = re.compile(
    r"\bstadens\b|\bstaden\s+(?:som\s+helhet|totalt|har|hade|lägger|lade|satsar|erbjuder|erbjöd)\b|\bi\s+hela\s+staden\b|\bStockholms\s+stad|\bkommunfullmäktige|\bkommunstyrelsen|\bregeringen\b|\bstatsbidrag"
    r"|\blag(en|ar|stiftning)?\b|\b(?!\w*(?:för|under|an|in|ut|på|be|upp|om|till|av|efter|bo)s?lagen\b)\w+lagen\b|\bföreskrift|\bkap\.?\s*\d|\d+\s*kap\b|§|\bSFS\b|\bförordning",
    re.IGNORECASE,
)
NEW_SOL_DATE = "2025-07-01"
UNKNOWN_DISTRICT = "[STADSDEL]"
"""Written for the precedent's own district when the receiving district is not known."""

# A number that counts something ("32 förskolor", "1 900 inskrivna barn", "4 500 besök per vecka",
# "120 träd", "12 procent"): not a law reference, a date, a year or a list marker. Which things are
# counted is not listed: whatever a förvaltning counts of its own is its local figure.
_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
# A day of a month ("den 1 januari 2020") is a date, not a count: when a law took effect is everyone's;
# "artikel 12" is a convention's article.
_FIGURE = re.compile(
    rf"(?<![\w:./§–-])(?<!artikel\s)(?!(?:19|20)\d\d\b)\d{{1,3}}(?:[  ]\d{{3}})*(?:,\d+)?(?![\d:/-]|\s*(?:kap\b|§|st\.|(?:{_MONTHS})\b))"
    r"\s*(%|(?:[a-zåäö]+\s+){0,2}[a-zåäö]{3,})",
    re.IGNORECASE,
)
# Number words that count things ("fyra lokaler"); the larger round ones are read where a bound or a
# unit makes them a count.
_NUMBER_WORDS = "två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv"
_ROUND_NUMBER_WORDS = f"{_NUMBER_WORDS}|femton|tjugo|trettio"
# The same with a number word for a count of units ("fyra lokaler", "två hemtjänstgrupper").
_WORD_FIGURE = re.compile(
    rf"\b(?:{_ROUND_NUMBER_WORDS}|ett\s+\w+tal)\s+"
    r"(?:[a-zåäö]+\s+)?(%|procent|elever|barn|platser|personer|ärenden|medarbetare|tjänster|team|grupper|skolor|kronor|lokaler|enheter|\w+(?:grupper|platser|boenden|lokaler|enheter|ställen|parker))\b",
    re.IGNORECASE,
)
# An approximate count ("ett femtontal föreningar", "ett 70-tal träffpunkter") counts whatever noun
# follows; "ett antal", "ett fåtal", "ett flertal" give no number.
_TEEN_WORDS = "tretton|fjorton|sexton|sjutton|arton|nitton"
_TENS = "tjugo|trettio|fyrtio|femtio|sextio|sjuttio|åttio|nittio|hundra|tusen"
_APPROXIMATE_COUNT = re.compile(
    rf"\bett\s+(?:(?:{_NUMBER_WORDS}|{_TEEN_WORDS}|femton|{_TENS})tal|\d+-tal)\s+[a-zåäö]{{3,}}",
    re.IGNORECASE,
)
# A part of a counted set ("tio av de fjorton besluten", "3 av de nya platserna"): a count as much as "10 beslut".
_PARTITIVE = re.compile(
    rf"\b(?:\d+|{_ROUND_NUMBER_WORDS}|{_TEEN_WORDS})\s+av\s+(?:de|dessa|våra|totalt)\s+"
    rf"(?:(?:\d+|{_ROUND_NUMBER_WORDS}|{_TEEN_WORDS})\s+)?[a-zåäö]{{3,}}",
    re.IGNORECASE,
)
# Figures of the whole city or country: "staden lägger årligen 90 miljoner", "i hela staden finns".
_CITY_SCOPE = re.compile(
    r"\bstaden\b|\bstadens\b|\bStockholms\b|\bi\s+(?:hela\s+)?Stockholm\b|\bstadsdels(?:nämnderna|förvaltningarna)\b|\bsamtliga\s+stadsdels"
    r"|\b(?:varje|alla)\s+stadsdels(?:nämnd|förvaltning)"
    r"|\bkommunfullmäktige|\bregeringen\b|\briket\b|\bSverige\b|\bnationell|\bstatliga?\b|\bstatsbidrag|\bstadsövergripande",
    re.IGNORECASE,
)
# A fackförvaltning, facknämnd or national authority named: the city's or the state's, not a district's.
_CITY_BODY = re.compile(
    r"(?i:\b(?!stadsdels)[a-zåäö]{3,}(?:förvaltningen|förvaltningens|kontoret|kontorets|nämnden|nämndens|styrelsen|styrelsens)\b)"
    r"|\b[A-ZÅÄÖ][a-zåäö]+(?:verket|myndigheten|inspektionen)s?\b|\bRegion\s+Stockholm"
    # A state agency named by what it is for: "Inspektionen för vård och omsorg", "Myndigheten för delaktighet".
    r"|\b(?:Inspektionen|Myndigheten|Verket)\s+för\s+[a-zåäö]",
)
# A fackförvaltning or facknämnd as the sentence's subject ("Trafikkontoret har cirka 30 miljoner …"):
# its figures are the city's. Only as the subject: "I äldreförvaltningens brukarundersökning svarade 78
# procent av brukarna i egen regi …" is one district's figure from a city survey.
_BODY_SUBJECT = re.compile(
    r"^(?:enligt\s+)?(?!stadsdels)[a-zåäö]{3,}(?:förvaltningen|kontoret|nämnden|styrelsen)\b", re.IGNORECASE
)
# "Förvaltningens bedömning/synpunkter …": its view on the matter, not a thing it has or does.
_ITS_VIEW = "bedömning|uppfattning|syn|mening|ståndpunkt|förslag|synpunkter|yttrande"
# Verbs after "Förvaltningen" that are not a deed of its own: a view, a stance, a modal, telling or
# referring someone, whose the responsibility is.
_NOT_A_DEED = (
    "anser|bedömer|menar|föreslår|vill|förordar|ser|uppskattar|betonar|understryker|framhåller|välkomnar|förutsätter|"
    "ifrågasätter|instämmer|delar|tillstyrker|avstyrker|konstaterar|noterar|tolkar|påpekar|vidhåller|tycker|är|kan|ska|bör|"
    "måste|saknar|hänvisar|redogör|återkommer|lämnar|besvarar|ansvarar"
)
# The administration (or one of its services) doing, having or having decided something: its practice.
_PRACTICE = re.compile(
    r"\b(?:(?:stadsdels)?förvaltningen|(?:stadsdels)?nämnden|stadsdels(?:förvaltning|nämnd)|socialtjänsten|hemtjänsten|äldreomsorgen|enheten|avdelningen|"
    r"verksamheten|verksamheterna|medarbetarna|personalen|vi)\s+(?:har\s+(?:även\s+|också\s+|i\s+dag\s+|sedan\s+\w+\s+)?)?"
    r"(?:har|hade|driver|drev|bedriver|sköter|skötte|erbjuder|erbjöd|arbetar|arbetade|samarbetar|samverkar|använder|genomför|genomförde|"
    r"ordnar|anordnar|ordnade|tar\s+emot|tog\s+emot|deltar|deltog|strävar|planerar|avser|kommer\s+att|prioriterar|köper|hyr|"
    r"inrättade|startade|införde|anställde|beslutade|beslöt|fick|gav|får|ser\s+till|ser\s+att|märker|upplever|har\s+märkt|har\s+sett)\b"
    r"|\b(?:har|hade|driver|bedriver|sköter|skötte|erbjuder|tog|tar|genomförde|genomför|anordnade|ordnade|startade|inrättade|införde|anställde|fick|"
    r"beslutade|arbetar|samarbetar|deltar|deltog|gjorde|gör|fattade|fattar|ansökte|ansöker|handlade|utredde|placerade)\s+(?:(?:stadsdels)?förvaltningen|(?:stadsdels)?nämnden|socialtjänsten|vi)\b"
    rf"|\b(?:förvaltningens|nämndens|stadsdelsförvaltningens|stadsdelsnämndens)\s+(?!(?:{_ITS_VIEW})\b)[a-zåäö]{{4,}}"
    # Its counted staff or units: "förvaltningens två behandlare", "nämndens 14 förskolor".
    rf"|\b(?:förvaltningens|nämndens|stadsdelsförvaltningens|stadsdelsnämndens)\s+(?:\d+|{_NUMBER_WORDS})\s+[a-zåäö]{{3,}}"
    # Any other verb in the present tense after it as the subject ("Förvaltningen matchar ungdomarna …",
    # "Förvaltningen följer redan kostnaderna …"): what it does, unless the verb gives a view, is a modal,
    # tells someone something or says whose the responsibility is.
    rf"|^(?:stadsdels)?(?:förvaltningen|nämnden)\s+(?:(?:även|också|redan|själv|regelbundet|dessutom|i\s+dag)\s+)?(?!(?:{_NOT_A_DEED})\b)[a-zåäö]{{3,}}(?:ar|er|ör)\b",
    re.IGNORECASE,
)
# A dated event ("i december 2007", "den 22 februari 2024", "2023-05-01") happened in that district.
_DATED = re.compile(
    rf"\b({_MONTHS})\s+\d{{4}}\b"
    r"|\b(19|20)\d\d-\d\d-\d\d\b|\b(hösten|våren|sommaren|vintern|under|sedan|från och med)\s+(?:(?:år|året|åren)\s+)?(19|20)\d\d\b"
    # "Från 2023 erbjuds …" opening a sentence; "riktlinjerna från 2019" only dates a document.
    r"|^från\s+(?:(?:år|året)\s+)?(19|20)\d\d\b"
    # What was set up in a year: "Gruppen inrättades 2016", "startades år 2019", "invigdes 2021".
    r"|\b[a-zåäö]{3,}(?:ades|des|tes)\s+(?:år\s+)?(19|20)\d\d\b",
    re.IGNORECASE,
)
# A unit's schedule: opening hours ("15.00–21.00", "kl. 18"), weekdays ("fredagar", "lördagskvällar"),
# routines ("varje fredag", "två gånger i veckan"). When and how often a förvaltning keeps something open
# or does something is its own arrangement; the city's rules on it name the city or a law (``_CITY_WIDE``).
_SCHEDULE = re.compile(
    r"\b(?:mån|tis|ons|tors|fre|lör|sön)dag(?:ar|en|arna|s)?(?:kväll\w*|eftermiddag\w*|förmiddag\w*|morgn\w*)?\b"
    r"|\b(?:mån|tis|ons|tors|fre|lör|sön)dags-"
    # … and in a compound: "en söndagsträff", "lördagsöppet", "fredagsfika".
    r"|\b(?:mån|tis|ons|tors|fre|lör|sön)dags[a-zåäö]{3,}"
    r"|\b\d{1,2}[.:]\d{2}\s*[–-]\s*\d{1,2}[.:]\d{2}\b|\bkl(?:ockan|\.)?\s*\d{1,2}(?:[.:]\d{2})?\b"
    r"|\b(?:varje|var)\s+(?:(?:annan|andra|tredje|fjärde|sjätte)\s+)?(?:dag|vecka|kväll|morgon|helg|vardag|eftermiddag|månad)\b"
    r"|\b(?:en|två|tre|fyra|fem|\d+)\s+gånger?\s+(?:per|i|om)\s+(?:dag(?:en)?|vecka(?:n)?|månad(?:en)?)\b"
    # How many it holds in a period: "två föreläsningskvällar per år", "fyra träffar per termin".
    rf"|\b(?:{_NUMBER_WORDS})\s+[a-zåäö]{{4,}}\s+(?:per|om|i)\s+(?:år(?:et)?|termin(?:en)?|månad(?:en)?|vecka(?:n)?)\b",
    re.IGNORECASE,
)
# A count in words with a bound ("minst tre vuxna", "högst fem deltagare"): a figure as much as "3 vuxna".
_BOUNDED_WORD_FIGURE = re.compile(
    r"\b(?:minst|högst|cirka|omkring|ungefär|drygt|knappt|närmare|senast|inom)\s+"
    rf"(?:{_ROUND_NUMBER_WORDS})\s+[a-zåäö]{{3,}}",
    re.IGNORECASE,
)
# The administration's habit ("förvaltningen … alltid ska begära in", "personalen går regelmässigt …"):
# how that förvaltning works, even in the modal that ``_PRACTICE`` leaves to views and proposals.
_HABIT = re.compile(
    r"\b(?:(?:stadsdels)?förvaltningen|(?:stadsdels)?nämnden|personalen|medarbetarna|socialtjänsten|vi)\b"
    r"(?:\s+[\wåäö]+){0,4}?\s+(?:alltid|regelmässigt|rutinmässigt)\b",
    re.IGNORECASE,
)
# What a förvaltning adds of its own to the city's plan ("följer stadens vinterplan och har kompletterat
# den med egna rutiner"): its own, however the sentence names the city beside it.
_OWN_ADDITION = re.compile(
    r"\b(?:kompletterat|kompletterar|kompletterade|utökat|utökar|utökade|förstärkt|förstärker|förstärkte)\b[^.;]{0,40}?"
    r"\bmed\s+(?:egna|eget|egen)\s+[a-zåäö]{3,}",
    re.IGNORECASE,
)
# The administration speaking of its own resources, plans and decisions: true only where it was written.
# "Förvaltningen för redan i dag ett eget register …": what it calls its own ("egen", "eget", "egna") is.
_OWN_PRACTICE = re.compile(
    r"^(?:förvaltningen|stadsdelsförvaltningen|nämnden|stadsdelsnämnden|vi)\b[^.;]{0,40}?\b(?:egen|eget|egna)\s+(?!regi\b)[a-zåäö]{3,}"
    r"|^(?:förvaltningen|stadsdelsförvaltningen|nämnden|stadsdelsnämnden|vi|avdelningen|enheten)\s+"
    r"(?:har\s+(?:även\s+|också\s+|sedan\s+\w+\s+)?(?:ett|en|flera|många|inrättat|startat|beslutat|påbörjat|anställt|infört)"
    r"|avser|planerar|kommer\s+att|prioriterar|bedriver|erbjuder|driver|har\s+tagit\s+fram)\b",
    re.IGNORECASE,
)
# The administration or committee as the agent of a local decision, application or start-up, anywhere
# in the sentence ("… till vilket stadsdelsnämnden ansökt om medel"), what it has done (perfect tense:
# "förvaltningen har själv åtgärdat …", "nämnden har lämnat …"), and plans ("planeras").
_OWN_ACTION = re.compile(
    r"\b(?:stadsdels)?(?:förvaltningen|nämnden)\s+(?:har\s+|hade\s+)?(?:även\s+|också\s+)?"
    r"(?:ansökt|sökt|beslutat|beslöt|inrättat|inrättade|startat|startade|anställt|anställde|infört|införde|påbörjat|påbörjade|avsatt|avsatte|upphandlat)\b"
    r"|\b(?:stadsdels)?(?:förvaltningen|nämnden)\s+har\s+(?:även\s+|också\s+|själv\s+|redan\s+)?"
    r"(?!(?:ett|det|inget|något|allt|mycket|detta)\b)[a-zåäö]{2,}(?:at|it|tt|rt|lt|nt|kt|pt|st|gt)\b"
    # "… som lokalpolisområdet och förvaltningen tecknade för 2019": its own act, in the past tense.
    r"|\b(?:stadsdels)?(?:förvaltningen|nämnden)\s+(?:även\s+|också\s+|själv\s+)?[a-zåäö]{3,}(?:ade|dde|tte|[lrv]de|[kpst]te)\b"
    # … a strong verb: "Hjorthagsparken, som förvaltningen tog över 2020, …", "nämnden gjorde en inventering".
    r"|\b(?:stadsdels)?(?:förvaltningen|nämnden)\s+(?:även\s+|också\s+|själv\s+)?(?:tog|drog|lät|höll|skrev|bjöd|gjorde|byggde)\b"
    # What it will do: "Förvaltningen kommer också att lämna en lista …", "avser att", "planerar att".
    r"|\b(?:stadsdels)?(?:förvaltningen|nämnden)\s+(?:avser|planerar|tänker)\s+(?:även\s+|också\s+|därför\s+)?(?:att\s+)?[a-zåäö]+"
    r"|\b(?:stadsdels)?(?:förvaltningen|nämnden)\b[^.;]{0,80}?\bkommer\s+(?:[a-zåäö]+\s+){0,3}?att\s+[a-zåäö]+"
    # … and a second verb of the same subject, however far: "Förvaltningen bedömer att …, och kommer att prioritera …".
    r"|\b(?:stadsdels)?(?:förvaltningen|nämnden)\b[^.;]*?\b(?:och|samt)\s+(?:därför\s+|också\s+|även\s+)?(?:kommer|avser|planerar)\s+(?:[a-zåäö]+\s+){0,2}?att\s+[a-zåäö]+"
    r"|\bplaneras\b|\bhar\s+planerat\b"
    # The same with the subject after the verb, after an opening phrase: "Med hänsyn till … avser
    # förvaltningen också att pröva …", "Under 2024 kommer nämnden att …".
    r"|\b(?:avser|planerar|tänker|kommer)\s+(?:stadsdels)?(?:förvaltningen|nämnden)\s+(?:även\s+|också\s+|därför\s+|dessutom\s+)?att\s+[a-zåäö]+",
    re.IGNORECASE,
)
# A city document's prescription, from what it says to the end of the clause (the next comma): "stadens
# riktlinjer …, som anger att stadsdelsförvaltningen ska erbjuda varje hushåll ett samtal inom 30 dagar".
_CITY_NORM = re.compile(
    r"\b(?:stadens|kommunfullmäktiges|socialnämndens|äldrenämndens)\s+[a-zåäö]+[^.;]{0,80}?\b(?:anger|föreskriver|säger|kräver|innebär)\s+att\b"
    r"[^.;]{0,80}?\b(?:ska|skall)\b[^.;,]*"
    # … or what it sets out, in a clause about the document: "enligt stadens riktlinjer, där arvodet är
    # indelat i fyra nivåer", "stadens riktlinjer, som anger att arvodet bestäms i en av fyra nivåer".
    r"|\b(?:stadens|kommunfullmäktiges|socialnämndens|äldrenämndens)\s+[a-zåäö]+(?:\s+(?:för|om)\s+[a-zåäö]+(?:\s+(?:och|till)\s+[a-zåäö]+)*)?"
    r",?\s+(?:där|enligt\s+vilka|som\s+(?:anger|innebär|föreskriver)\s+att)\b[^.;,]*",
    re.IGNORECASE,
)
# A measured outcome ("hölls i genomsnitt 19 dagar efter ankomsten", "i snitt 12 procent"): what was
# measured there, unless the sentence scopes it to the whole city (``_MEASURE_SCOPE``).
_MEASURED = re.compile(r"\b(?:i\s+genomsnitt|i\s+snitt|i\s+medeltal|i\s+median|som\s+mest|som\s+högst)\b[^.;]{0,30}?\d+", re.IGNORECASE)
# Where a measurement covers the whole city or country (naming the city's rule beside it does not).
_MEASURE_SCOPE = re.compile(
    r"\bi\s+(?:hela\s+)?staden\b|\bstaden\s+som\s+helhet\b|\bi\s+(?:hela\s+)?Stockholm\b|\bi\s+(?:hela\s+)?Sverige\b|\bi\s+riket\b"
    r"|\bnationell|\bför\s+samtliga\b|\bstadens\s+(?:genomsnitt|snitt)\b|\bi\s+länet\b",
    re.IGNORECASE,
)
# A measure of the förvaltning against the city's norm ("väntetiden ligger inom den tid som stadens
# riktlinjer anger", "är längre än vad stadens riktlinjer anger", "ligger över stadens genomsnitt"):
# the state of that förvaltning, however much of the city the sentence names. The city's own rule
# is a norm ("ska erbjudas inom tio arbetsdagar"), not a state.
_AGAINST_CITY_NORM = re.compile(
    r"\b(?:ligger|låg|är|var|blev|har\s+(?:legat|varit|blivit))\b(?:\s+[a-zåäö]+){0,3}?\s+"
    r"(?:inom|under|över|utanför|(?:längre|kortare|högre|lägre|bättre|sämre|fler|färre)\s+än)\b"
    r"[^.;]{0,50}?\b(?:stadens|stadsgemensamma|kommunfullmäktiges|socialnämndens|riktlinjernas)\b",
    re.IGNORECASE,
)
# Another administration's stance on the proposal: the receiving administration takes its own.
STANCE = re.compile(
    r"^(?:sammantaget|sammanfattningsvis|därför|således)?\s*(?:ställer\s+sig\s+)?(?:stadsdels)?förvaltningen\s+"
    r"(?:ställer\s+sig|delar|tillstyrker|avstyrker|instämmer|välkomnar|ser\s+positivt|är\s+positiv|är\s+(?:därför\s+)?(?:beredd|villig|öppen\s+för))"
    r"|\bställer\s+sig\s+(?:stadsdels)?förvaltningen\s+(?:(?:helt|fullt|därför|också|även|inte)\s+)?(?:positiv|negativ|bakom|tveksam|kritisk)"
    # Anywhere in the sentence ("…, och förvaltningen ställer sig bakom att …"), with the verb before
    # its subject ("Förslaget om badvakter delar förvaltningen delvis") or in the passive ("… avstyrks").
    r"|\b(?:stadsdels)?förvaltningen\s+(?:\w+\s+)?(?:ställer\s+sig\s+(?:bakom|positiv|negativ|tveksam|kritisk)|tillstyrker|avstyrker)\b"
    r"|\b(?:delar|tillstyrker|avstyrker|instämmer\s+i|ställer\s+sig\s+bakom|stödjer)\s+(?:(?:därför|dock|också|även|endast|inte)\s+)*(?:stadsdels)?förvaltningen\b"
    r"|\b(?:tillstyrks|avstyrks)\b",
    re.IGNORECASE,
)
# Set against the rest of the city ("Jämfört med andra delar av staden är en större andel …", "högre än i
# övriga stadsdelsområden"): the sentence is about the one district measured, whatever it names.
_VERSUS_CITY = re.compile(
    r"\b(?:jämfört\s+med|än|i\s+förhållande\s+till)\s+(?:i\s+|för\s+)?"
    r"(?:andra\s+delar\s+av\s+staden|resten\s+av\s+staden|staden\s+som\s+helhet|(?:andra|övriga)\s+stadsdel\w*|stadens\s+genomsnitt|genomsnittet\s+(?:i|för)\s+staden)",
    re.IGNORECASE,
)
# Its judgment or proposal ("Förvaltningen anser att …", "… föreslår därför att …"); not what it only
# points out ("vill framhålla att …", ``OPINION``'s wider set).
_VIEW = re.compile(
    r"\b(?:stadsdels)?(?:förvaltningen|nämnden)\s+(?:(?:därför|dock|också|även|samtidigt|ändå|vidare|slutligen)\s+)?"
    r"(?:anser|menar|föreslår|förordar|bedömer)\s+(?:(?:därför|dock|också|även|samtidigt|ändå)\s+)?att\b",
    re.IGNORECASE,
)
# Every district at once ("samtliga stadsdelsnämnder", "stadsdelsförvaltningarna"): what each is given.
_EVERY_DISTRICT = re.compile(r"\b(?:samtliga|alla|varje)\s+stadsdels|\bstadsdels(?:nämnderna|förvaltningarna)\b", re.IGNORECASE)
# "Liljeholmens stadsdelsförvaltning": a district name the registry may not know (a former one).
_ANY_DISTRICT_ORG = re.compile(r"\b([A-ZÅÄÖ][\wåäöé-]+?)s?\s+stadsdels(?:förvaltning|nämnd|område)")
# An acronym used as a name ("BUFF-gruppen", "SAMS"): city-wide only when the registry's glossary knows it.
_ACRONYM = re.compile(r"(?<![\w-])([A-ZÅÄÖ]{2,6})(?:-[a-zåäö]+)?(?![\wÅÄÖåäö])")
# A capitalised name in quotation marks (a project, a programme): ”Hemmasittare”.
_QUOTED_NAME = re.compile(r"[”\"“«]\s*([A-ZÅÄÖ][^”\"“»\n]{1,60}?)\s*[”\"»]")
# Past tense: what happened in the precedent's district then ("löstes", "diskuterade", "var").
_PRETERITE_STRONG = frozenset("var fick blev hade gjorde gav gavs tog togs kom gick fanns såg sågs sade beslöt skedde förekom hölls".split())
_PRETERITE_WEAK = re.compile(r"^[a-zåäö]{3,}(?:ade|ades|dde|ddes|tte|ttes|[lrv]de|[lrv]des|[kpst]te|[kpst]tes)$")
_PRESENT_AUX = re.compile(r"\b(är|har|kan|ska|skall|finns|behöver|får|måste|bör|kommer|gäller)\b", re.IGNORECASE)
_AREA_TAIL = re.compile(r"\s*stadsdels(?:område|del)", re.IGNORECASE)
_SELF_REF_TAIL = re.compile(r"\s*stadsdels(nämnd|förvaltning)", re.IGNORECASE)
_CAP_WORD = re.compile(r"(?<![\w-])([A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖa-zåäö][a-zåäöé]+)*)")
_ORG_SUFFIX = re.compile(r"(förvaltning|nämnd|styrelse|kommun|region|myndighet|inspektion|verket|rådet)(en|ens|n|ns|s|ar|arna)?$", re.IGNORECASE)


# How things stand with one district's own things, told by how the sentence picks them out: a share of
# a definite set ("flera av badplatserna", "en övervägande del av förskolorna"), all of an unnamed set
# ("vid samtliga badplatser finns livboj"). The city's set is named as the city's ("stadens
# förskolor", "var tredje förskola i staden"), and a quantity over the city's set keeps that word.
_OUR_SET = re.compile(
    r"\b(?:flera|många|några|de\s+flesta|hälften|majoriteten|merparten|en\s+(?:stor|övervägande|mindre|större)\s+del)\s+av\s+"
    r"(?:de\s+)?(?:[a-zåäö]+\s+)?[a-zåäö]{3,}(?:na|erna|arna|orna)\b"
    r"|\b(?:vid|i|på)\s+samtliga\s+(?!stadsdels)[a-zåäö]{4,}\b"
    # "båda träffpunkterna uppfyller kraven": the two it has; and a set counted in the definite ("på de
    # tre boendena i egen regi", "någon av de tre utredningsgrupperna"): the ones it has, however the
    # sentence names the city's measurement around them.
    r"|\bbåda\s+(?!stadsdels)[a-zåäö]{3,}(?:na|erna|arna|orna)\b"
    r"|\bde\s+(?:två|tre|fyra|fem|sex|sju|åtta|nio|tio|elva|tolv|\d+)\s+(?!stadsdels)(?:[a-zåäö]+\s+)?[a-zåäö]{3,}(?:na|erna|arna|orna)\b",
    re.IGNORECASE,
)
# A definite plural as the subject of a state ("Skyltarna är dock av äldre modell", "I dag töms
# papperskorgarna …"): those things, there; read so only when the sentence does not name the city
# ("Trygghetspunkterna är i stadens modell …").
_THOSE_THINGS = re.compile(
    r"^[A-ZÅÄÖ][a-zåäö]{3,}(?:na|erna|arna|orna)\s+(?:\w+\s+)?(?:är|var|har|hade|saknar|saknas|ligger|låg|finns|fanns|utgörs|består)\b"
    # What is done to them now, the verb first: "I dag töms papperskorgarna vid hundrastgårdarna tre gånger i veckan".
    r"|^(?:i\s*dag|för\s+närvarande|just\s+nu)\s+[a-zåäö]+\s+(?:de\s+)?[a-zåäö]{3,}(?:na|erna|arna|orna)\b",
    re.IGNORECASE,
)


PRACTICE_REASON = "vad den förvaltningen gör eller har"
UNSHOWN_REASON = "uppgift som arkivet inte visar gäller för hela staden"
STATE_REASON = "hur det står till i den förvaltningen"
LEARNED_REASON = "formulerad som den förvaltningens egen uppgift"
# The state of one förvaltning ("Förvaltningens sjukfrånvaro ligger över stadens genomsnitt", "Sjukfrånvaron
# i förvaltningen är hög"): a description of that administration, true only where it was written, however
# many districts describe their own in the same words.
_OWN_STATE = re.compile(
    rf"\b(?:stadsdels)?(?:förvaltningens|nämndens)\s+(?!(?:{_ITS_VIEW}|uppdrag|ansvar|roll|arbete|arbetsmiljöarbete)\b)[a-zåäö]{{4,}}"
    r"\s+(?:är|var|ligger|låg|uppgår|uppgick|har\s+(?:ökat|minskat|legat))\b"
    r"|\b(?:i|inom)\s+(?:stadsdels)?förvaltningen\s+(?:är|var|ligger|låg|uppgår|uppgick|har\s+(?:ökat|minskat|legat))\b"
    r"|\b(?:är|var|ligger|låg|uppgår|uppgick|står|stod|utgör|utgjorde)\b[^.]{0,60}\b(?:i|inom)\s+(?:stadsdels)?förvaltningen\b",
    re.IGNORECASE,
)
# A measured trend of a share or count, with no scope named ("Andelen flickor bland besökarna har ökat",
# "Antalet ansökningar minskade under året"): what was measured there. The city's trend names the city.
_OWN_TREND = re.compile(
    r"^(?:[a-zåäö]+\s+){0,3}?(?:andelen|antalet|kostnaden|kostnaderna|nivån|efterfrågan)\b[^.]{0,80}?"
    r"\b(?:har\s+|hade\s+)?(?:ökat|minskat|stigit|sjunkit|ökade|minskade|steg|sjönk|halverats|fördubblats)\b",
    re.IGNORECASE,
)
OPINION = re.compile(
    r"\b(?:(?:stadsdels)?förvaltningen|(?:stadsdels)?nämnden)\s+(?:\w+\s+)?(?:anser|bedömer|menar|föreslår|vill|förordar|uppskattar|betonar|understryker|framhåller|välkomnar|ser\s+(?:(?:mycket|särskilt|därför|också|även)\s+)?(?:positivt|negativt|behov|gärna))\b",
    re.IGNORECASE,
)
"""A förvaltning's judgment ("Förvaltningen anser …", "… uppskattar …", "… betonar …"): another
district's view, not a fact to reuse."""

# Practice that follows a city instrument ("arbetar utifrån stadens gemensamma arbetsmodell", "enligt
# socialförvaltningens riktlinjer"): every district does it.
_FOLLOWS_CITY = re.compile(
    r"\b(?:utifrån|enligt|i\s+enlighet\s+med|följer|inom\s+ramen\s+för|med\s+stöd\s+av)\s+(?:\w+\s+){0,2}?"
    r"(?:stadens|Stockholms\s+stads|(?!stadsdels)[a-zåäö]{3,}(?:förvaltningens|kontorets|nämndens|styrelsens))\b"
    # How the money reaches every nämnd ("Nämndens medel … fördelas genom stadens resursfördelningsmodell"):
    # the city's allocation, whichever nämnd writes it of its own budget.
    r"|\b(?:fördelas|beräknas|tilldelas|budgeteras)\s+(?:[\wåäö]+\s+){0,3}?(?:genom|i|via|enligt|utifrån)\s+stadens\s+[a-zåäö]*(?:modell|budget)"
    # A mandate the city gives every nämnd ("Nämnden har i stadens budget för 2022 fått i uppdrag att …");
    # not one the district's own nämnd gives its förvaltning.
    r"|\bi\s+(?:stadens|kommunfullmäktiges)\s+budget\b[^.;]{0,40}?\b(?:fått|getts|fick|gavs)\s+i\s+uppdrag\b"
    r"|\b(?:fått|getts|fick|gavs)\s+i\s+uppdrag\s+(?:av|från)\s+(?:kommunfullmäktige|kommunstyrelsen|staden)\b"
    # Who sets every nämnd's budget: "Nämndens budget beslutas av kommunfullmäktige för ett år i taget."
    r"|\bbudget\w*\s+(?:\w+\s+){0,2}?(?:beslutas|fastställs|antas|bestäms)\s+(?:\w+\s+){0,3}?av\s+kommunfullmäktige\b"
    # The city's instrument named first, then followed by a pronoun: "Äldreförvaltningen har tagit fram en
    # gemensam rutin …, och förvaltningen arbetar efter den."
    r"|(?:\bstadens|\b(?!stadsdels)[a-zåäö]{3,}(?:förvaltningen|förvaltningens|kontoret|kontorets|nämnden|nämndens))\b[^.;]{0,160}?"
    r"\b(?:(?:arbetar|handlar|agerar)\s+(?:efter|enligt|utifrån)|följer)\s+(?:den|dem|denna|dessa)\b",
    re.IGNORECASE,
)
# Who is responsible for what, the district's nämnd beside a city body ("Trafikkontoret ansvarar för
# gatuträden, medan stadsdelsnämnden sköter parkerna i stadsdelsområdet"): the city's division of
# responsibility, which every district could write; only its names and figures can make it one district's.
_DIVISION = re.compile(
    r"\b(?:stadsdels)?nämnd(?:en|erna)\s+(?:har\s+)?(?:ansvar(?:ar|et)|sköter|förvaltar)\b"
    r"|\bansvaret\s+för\b[^.;]{0,60}?\bligger\s+(?:hos|på)\b"
    r"|\b(?:är|blir)\s+(?:stadsdels)?nämnd(?:en|erna)s\s+ansvar\b",
    re.IGNORECASE,
)
# The kind of city document a sentence refers to, also as the last part of a compound
# ("miljöprogram", "investeringsplan", "resursfördelningsmodell"): Swedish writes them as one word.
_CITY_DOCUMENT = re.compile(
    r"\b[a-zåäö]*?(program|plan|strategi|policy|riktlinje|vision|ramavtal|avtal|överenskommelse|anvisning|modell|koncept|budget|"
    r"uppföljning|undersökning|system|plattform|kampanj|reglemente|föreskrift)m?(?:en|et|er|erna|ar|arna|na|rna|r|s|n)?\b",
    re.IGNORECASE,
)
# A law's full title after its SFS number ("lagen (2018:1197) om Förenta nationernas konvention om
# barnets rättigheter"): the names in it are the law's, not a district's.
_LAW_TITLE_CLAUSE = re.compile(r"\blag(?:en)?\s*\((?:SFS\s*)?\d{4}:\d+\)\s*om\s+[^.;,()]*", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w:./-])\d{1,3}(?:[  ]\d{3})*(?:,\d+)?(?![\d:/-])")


# A law named by its title, with or without its SFS number: "lagen (2003:778) om skydd mot olyckor" and
# "lagen om skydd mot olyckor" share ``lag:om skydd mot``; a long noun is the title on its own
# ("lagen om anställningsskydd" → ``lag:om anställningsskydd``), an adjective takes its noun
# ("lagen om offentlig upphandling" → ``lag:om offentlig upphandling``).
_LAW_TITLE = re.compile(r"\blag(?:en)?\s*(?:\((?:SFS\s*)?\d{4}:\d+\)\s*)?om\s+([a-zåäö]+)(?:\s+([a-zåäö]+))?", re.IGNORECASE)


def city_anchors(sentence: str) -> set[str]:
    """What ties a sentence to the whole city, in a form comparable across districts' wordings: the
    laws it cites, the city or national bodies it names, the kind of city document it refers to
    (programme, policy, ramavtal … when the city is named) and the figures it gives for the city.
    Two districts' sentences sharing an anchor state the same city-wide fact in their own words."""
    text = " ".join(sentence.split())
    anchors = {f"lag:{t}" for t in law_terms(text)}
    for m in NAMED_LAW.finditer(text):
        anchors.add(f"lag:{(m.group(1) or m.group(2) or m.group(3)).lower()}")
    for m in _LAW_TITLE.finditer(text):
        first, second = m.group(1).lower(), (m.group(2) or "").lower()
        short = len(first) < 8 or first.endswith(("lig", "isk", "ig", "a"))  # "skydd mot", "offentlig upphandling"
        anchors.add(f"lag:om {first + ' ' + second if short and second else first}")
    for m in _CITY_BODY.finditer(text):
        anchors.add("organ:" + re.sub(r"s$", "", m.group(0).lower().split()[-1]))
    if _CITY_SCOPE.search(text):
        anchors.update(CITY_DOCUMENT_PREFIX + m.group(1).lower() for m in _CITY_DOCUMENT.finditer(text))
        anchors.update(figure_anchors(text))
    return anchors


FIGURE_PREFIX = "tal:"
"""How a figure anchor is told from a city anchor (law, body, document) in one set."""
CITY_DOCUMENT_PREFIX = "stadens:"
"""The anchor of a kind of city document ("stadens modell" → ``stadens:modell``)."""


def speaks_of_the_city(sentence: str) -> bool:
    """Does the sentence itself tie what it says to the whole city or the country: a law, a city or
    national body, a city document, the city or every district named (:func:`city_anchors` and the
    wider ``_CITY_WIDE`` / ``_CITY_SCOPE`` / ``_CITY_BODY``)? Without that, or another district saying
    the same, a precedent's sentence is shown for confirmation (``Classifier.classify``)."""
    text = " ".join(sentence.split())
    return bool(_CITY_WIDE.search(text) or _CITY_SCOPE.search(text) or _CITY_BODY.search(text) or city_anchors(text))


def share_anchor(a: set[str], b: set[str]) -> bool:
    """Whether two sentences with these anchors may state the same fact and are worth comparing:
    they share an anchor, or each names some city document. Districts name the same city scheme in
    their own words ("i stadens modell" / "stadens koncept för trygghetspunkter"); whether they mean
    the same one is then for the paraphrase test to say."""
    return bool(a & b) or (any(x.startswith(CITY_DOCUMENT_PREFIX) for x in a) and any(x.startswith(CITY_DOCUMENT_PREFIX) for x in b))


def figure_anchors(sentence: str) -> set[str]:
    """The figures a sentence gives ("2,4 procent" → ``tal:2,4``), law references left out, whether
    or not it names the city: another district that gives the same figure without saying whose it
    is ("Nämnden fick … 2,4 procent") still corroborates a city-wide figure."""
    return {FIGURE_PREFIX + re.sub(r"\s", "", m.group(0)) for m in _NUMBER.finditer(_figure_text(sentence))}


def _figure_text(sentence: str) -> str:
    """The sentence on one line with its law references blanked: their numbers are no figures."""
    return LAW_REF.sub(" ", " ".join(sentence.split()))


def figure_units(sentence: str) -> set[str]:
    """The figures a sentence gives with the word they count ("30 besökare" → ``tal:30 besökare``,
    "2,4 %" → ``tal:2,4 procent``): what :func:`classify` asks another district to give alike before a
    figure beside a city body counts as the body's. The bare number is not enough: "högst 30 besökare"
    in one answer and "30 procent" in another are not one figure."""
    text = _figure_text(sentence)
    out = set()
    for m in _NUMBER.finditer(text):
        unit = re.match(r"\s*(%|[a-zåäö]+)", text[m.end() :], re.IGNORECASE)
        word = "" if unit is None else ("procent" if unit.group(1) == "%" else unit.group(1).lower())
        number = re.sub(r"\s", "", m.group(0))
        out.add(f"{FIGURE_PREFIX}{number} {word}".rstrip())
    return out


# A capitalised word is inside a sentence only after a word or a comma on the same line: a line's first
# word follows a heading or a list marker ("Ärendet", "Bilagor", "Lagen (2018:1197) …" opening a paragraph).
_MID_SENTENCE = re.compile(r"[\wÅÄÖåäö,;)][ \t]+$")


def own_names(text: str, shared_names: frozenset[str], proper_zipf: float) -> frozenset[str]:
    """Names a document writes capitalised inside a sentence, after a word on the same line, that are
    no Swedish word (Zipf below ``proper_zipf``), no body, no first name and not shared by several
    districts: its units, places and partners, lower-case (see ``own_names`` in :func:`classify`)."""
    out = set()
    for m in _CAP_WORD.finditer(text):
        if not _MID_SENTENCE.search(text, max(0, m.start() - 3), m.start()) or _BEFORE_NAME.match(text, m.end()):
            continue
        n = m.group(1).lower()
        if n not in shared_names and _is_unknown_name(n, proper_zipf):
            out.add(n)
    return frozenset(out)


def _is_unknown_name(word: str, proper_zipf: float) -> bool:
    """Whether a capitalised ``word`` inside a sentence is a name: no body (``_ORG_SUFFIX``), not the
    city or the country, and no Swedish word as common as ``proper_zipf`` (nor its first part).

    Swedish writes common nouns in lower case: a capitalised word mid-sentence is a name. Only very
    common words are let through (a title such as "Gemensam arbetsmodell …"); place names (Tensta 3.7,
    Bagarmossen 2.9 on wordfreq's Zipf scale) stay below the bar."""
    w = word.lower()
    if _ORG_SUFFIX.search(w) or w in ("stockholm", "stockholms", "sverige", "sveriges"):
        return False
    return zipf_frequency(w, "sv") < proper_zipf and zipf_frequency(w.split("-")[0], "sv") < proper_zipf


@dataclass(frozen=True)
class Classification:
    local: bool
    reason: str


def classify(
    sentence: str,
    source_district: str | None,
    local_entities: frozenset[str] = frozenset(),
    shared_names: frozenset[str] = frozenset(),
    corroborated: bool = False,
    thresholds: DraftingSettings | None = None,
    shared_figures: frozenset[str] = frozenset(),
    own_names: frozenset[str] = frozenset(),
) -> Classification:
    """City-wide or local to ``source_district``; ``reason`` says why (shown to the reviewer).

    ``local_entities`` are definite forms of things the precedent introduced as local ("I
    stadsdelsområdet finns en CSU-grupp" makes "CSU-gruppen" local), see :func:`local_entities`.
    ``shared_names`` are names (lower-case) that answers of several districts use, see
    :func:`names_in`: a name every district uses is the city's, not one district's own.
    ``corroborated``: another district's answer says the same thing, so a statement of practice is
    the city's practice rather than one förvaltning's own. Short of that, only a law, or a city
    instrument the practice follows ("utifrån stadens arbetsmodell"), makes what a förvaltning does
    everyone's; naming the city or a fackförvaltning beside it does not. ``thresholds``: the drafting
    settings (``proper_noun_zipf``; default: the process-wide ones). ``shared_figures``: figure anchors
    (:func:`figure_anchors`) that answers of two districts or more give: a figure of a city body that
    another district gives too ("trafikkontoret har cirka 30 miljoner kronor per år") is the body's,
    not one förvaltning's count. ``own_names``: lower-case names the precedent's document writes
    capitalised inside a sentence (:meth:`~assistant.draft.localness.Classifier.own_names`): the same
    word opening a sentence ("Gärdesgården har öppet …") is that name, not a capitalised common word.
    """
    proper_zipf = (thresholds if thresholds is not None else get_settings().drafting).proper_noun_zipf
    text = " ".join(sentence.split())
    for w in re.findall(r"[\wÅÄÖåäö-]+", re.sub(r"(\w)-\s+(?=\w)", r"\1-", text)):
        if w.lower() in local_entities:
            return Classification(True, f"syftar på lokal verksamhet (”{w}”)")
    for name, start, end in districts.mentions(text):
        if not districts.same(name, source_district):
            return Classification(True, f"nämner {name}")
        if _AREA_TAIL.match(text[end:]):
            return Classification(True, f"uppgift om {name}s stadsdelsområde")
        written = registry.canonical_district(text[start:end])
        if source_district and written and written != registry.canonical_district(source_district):
            # A former or merged unit of the same area ("före detta Liljeholmens stadsdelsförvaltning").
            return Classification(True, f"nämner {written}")
        if not districts.is_self_reference(text, end):
            return Classification(True, f"nämner {name}")
    places = districts.places(text)
    if places:
        return Classification(True, f"nämner {places[0]}")
    for m in _ANY_DISTRICT_ORG.finditer(text):
        if zipf_frequency(m.group(1).lower(), "sv") < proper_zipf and not registry.find_districts(m.group(0)) and not districts.same(m.group(1), source_district):
            return Classification(True, f"nämner {m.group(1)}")
    division = bool(_DIVISION.search(text)) and any(not b.group(0).lower().startswith("stadsdels") for b in _CITY_BODY.finditer(text))
    # "det lokala utvecklingsarbete som budgeten ger samtliga stadsdelsnämnder i uppdrag": every district's.
    every = _EVERY_DISTRICT.search(text)
    # "… genom stadens resursfördelningsmodell, där hänsyn tas till förhållandena i stadsdelsområdet":
    # the area in what a city document sets out is every district's, the one the rule is applied to.
    norms = [x.span() for x in _CITY_NORM.finditer(text)]
    m = None if division else next(
        (
            x
            for x in _LOCAL_PHRASES.finditer(text)
            if not (every and x.group(0).lower().endswith("lokala")) and not any(a <= x.start() and x.end() <= b for a, b in norms)
        ),
        None,
    )
    if m:
        return Classification(True, f"lokal uppgift (”{m.group(0)}”)")
    bare = LAW_REF.sub(" ", text)
    # What a city document prescribes ("stadens riktlinjer anger att … ska erbjudas inom 30 dagar") is
    # the city's figure, however the sentence opens; figures outside that clause are read as usual.
    for m in reversed(list(_CITY_NORM.finditer(bare))):
        bare = bare[: m.start()] + " " * (m.end() - m.start()) + bare[m.end() :]
    figure = _FIGURE.search(bare) or _WORD_FIGURE.search(bare) or _APPROXIMATE_COUNT.search(bare) or _ALL_OF_OURS.search(bare) or _PARTITIVE.search(bare)
    if not figure and not (_CITY_WIDE.search(text) or _CITY_SCOPE.search(text) or _CITY_BODY.search(text)):
        # "minst tre vuxna"; a law's or a city body's "minst fem dagar i veckan" is theirs.
        figure = _BOUNDED_WORD_FIGURE.search(bare)
    if not figure and (_PRACTICE.search(text) or _UNIT_HAS.match(text)):
        figure = _COUNTED.search(bare)  # "sköter förvaltningen sju parktoaletter": what it has, counted
    city_figure = bool(figure) and _city_figure(text, figure.group(0), shared_figures, shared_names)
    if figure and (not city_figure or _PRACTICE.search(text)):
        return Classification(True, f"lokal siffra (”{figure.group(0).strip()}”)")
    # A city figure dated by its year ("7,1 procent för samtliga förvaltningar … under 2018") is
    # still the city's figure, not a local event.
    names_city = bool(_CITY_WIDE.search(text)) or division
    city_wide = names_city or city_figure
    # A date, a routine or a habit is the city's when its own clause names the city: "Staden har
    # undertecknat deklarationen, och förvaltningen följer sedan 2020 upp …" dates the förvaltning's deed.
    def city_near(m: re.Match) -> bool:
        return city_figure or division or bool(_CITY_WIDE.search(_clause_of(text, m.group(0))))

    m = _DATED.search(text)
    if m and not city_near(m):
        return Classification(True, f"daterad lokal händelse (”{m.group(0)}”)")
    m = _SCHEDULE.search(text)
    if m and not city_near(m):
        return Classification(True, f"öppettider eller rutin i den förvaltningen (”{m.group(0)}”)")
    m = _HABIT.search(text)
    if m and not city_near(m) and not OPINION.search(text):
        return Classification(True, f"{PRACTICE_REASON} (”{m.group(0)}”)")
    m = _SPEAKS.search(text)
    if m and sum(w.lower().endswith("ska") for w in words(m.group(0))) >= 2:
        return Classification(True, f"{STATE_REASON} (”{m.group(0)}”)")
    m = _OWN_ADDITION.search(text)
    if m:
        return Classification(True, f"{PRACTICE_REASON} (”{m.group(0)}”)")
    m = _MEASURED.search(text)
    if m and not _MEASURE_SCOPE.search(text):
        return Classification(True, f"{STATE_REASON} (”{m.group(0)}”)")
    m = _AGAINST_CITY_NORM.search(text) or _VERSUS_CITY.search(text)
    if m:
        return Classification(True, f"{STATE_REASON} (”{m.group(0)}”)")
    m = _OWN_ACTION.search(text)
    # A figure the city shares ("13 år") is the city's; the förvaltning's plan beside it is not.
    if m and not names_city:
        return Classification(True, f"förvaltningens eget beslut eller plan (”{m.group(0)}”)")
    m = _OWN_PRACTICE.search(text)
    if m and not city_wide and not corroborated:
        return Classification(True, f"{PRACTICE_REASON} (”{m.group(0)}”)")
    m = _OUR_SET.search(text) or (None if _CITY_SCOPE.search(text) else _THOSE_THINGS.search(text))
    if m:
        return Classification(True, f"hur det står till i den stadsdelen (”{m.group(0).strip()}”)")
    m = STANCE.search(text)
    if m:
        return Classification(True, f"förvaltningens ställningstagande (”{m.group(0).strip()}”)")
    # Its judgment or proposal ("Förvaltningen anser att staden bör …", "… föreslår att socialförvaltningen
    # …"): that förvaltning's view, for the receiving one to take or leave, whatever city body it names.
    # Not what it only points out ("Förvaltningen vill framhålla att … enligt miljöbalken"): a fact.
    m = _VIEW.search(text)
    if m:
        return Classification(True, f"förvaltningens bedömning (”{m.group(0).strip()}”)")
    past = _preterite_verbs(text)
    if len(past) >= 2 and not _PRESENT_AUX.search(text) and not city_wide:
        return Classification(True, f"beskriver vad som hände i {source_district or 'den stadsdelen'} (”{'”, ”'.join(past[:2])}”)")
    name = _local_name(_LAW_TITLE_CLAUSE.sub(" ", text), shared_names, proper_zipf, own_names)
    if name and (not city_wide or not _CITY_DOCUMENT.fullmatch(name.lower()) and not _ORG_SUFFIX.search(name)):
        # A place, school or project of one district stays local even when the sentence also names a
        # city instrument ("gångvägarna längs Mälarstranden … finansieras inom investeringsplanen");
        # only the city's own named programmes and bodies pass beside a city-wide marker.
        return Classification(True, f"lokalt namn (”{name}”)")
    follows_rules = LAW_REF.search(text) or NAMED_LAW.search(text) or _FOLLOWS_CITY.search(text) or division
    m = _OWN_TREND.search(text)
    if m and not city_wide and not _CITY_SCOPE.search(text):
        return Classification(True, f"{STATE_REASON} (”{m.group(0)}”)")
    m = _OWN_STATE.search(text)
    if m and not follows_rules:
        # Another district saying the same of *its* sick leave or budget does not make it this one's.
        return Classification(True, f"{STATE_REASON} (”{m.group(0)}”)")
    m = _PRACTICE.search(text)
    if m and not corroborated and not follows_rules:
        return Classification(True, f"{PRACTICE_REASON} (”{m.group(0)}”), och inget annat svar säger detsamma")
    return Classification(False, "stadsövergripande")


# "samtliga sex badplatser", "alla 14 lokaler": a count of one förvaltning's own things, even in a
# sentence that names the city's rules for them (the city's would be "stadens 40 badplatser").
_ALL_OF_OURS = re.compile(rf"\b(?:samtliga|alla)\s+(?:\d+|{_NUMBER_WORDS})\s+[a-zåäö]{{3,}}", re.IGNORECASE)


# A unit by its definite form as the subject of what it has or consists of ("Uppdragstagarteamet har fyra
# handläggare", "Enheten består av sex medarbetare"): its own staff and units, counted (``_COUNTED``).
_UNIT_HAS = re.compile(
    r"^[\wåäöÅÄÖ-]*(?:teamet|enheten|avdelningen|sektionen|mottagningen|gruppen)\s+(?:\w+\s+)?(?:har|hade|består|bestod|omfattar|omfattade)\b",
    re.IGNORECASE,
)
# A number word before any noun: read as a count only beside the förvaltning's practice (``_PRACTICE``).
_COUNTED = re.compile(rf"\b(?:{_NUMBER_WORDS})\s+[a-zåäö]{{4,}}", re.IGNORECASE)


# The city as the source of an amount ("finansieras med 2,3 miljoner kronor ur stadens medel för sociala
# investeringar"): what one förvaltning was given, not a figure of the city's.
_CITY_SOURCE = re.compile(r"\b(?:ur|från)\s+stadens\s+[a-zåäö]+(?:\s+(?:för|till)\s+[a-zåäö]+(?:\s+[a-zåäö]+)?)?", re.IGNORECASE)
# The languages its staff speak ("Fixarna talar svenska, arabiska, tigrinja och turkiska"): that
# förvaltning's own; two or more language names ending in -ska make the list.
_SPEAKS = re.compile(r"\btalar\s+(?:bland\s+annat\s+|också\s+|även\s+)?(?:[a-zåäö]+(?:,\s*|\s+och\s+|\s+samt\s+)){1,8}[a-zåäö]+", re.IGNORECASE)


def _city_figure(text: str, figure: str, shared_figures: frozenset[str], shared_names: frozenset[str] = frozenset()) -> bool:
    """Are the sentence's figures the city's: it names the city, a city body is its subject, or it
    names a city body, or a name several districts use (a national agency's acronym: "SMHI utfärdar …
    vid minst 26 grader"), and another district gives the same figures (see :func:`classify`).
    ``figure``: the figure found; the city or body must then stand in its clause (:func:`_clause_of`)."""
    if _ALL_OF_OURS.search(text):
        return False
    given = figure_units(text)  # digits only: a number word ("sex badplatser") is never shared
    near = _CITY_SOURCE.sub(" ", _clause_of(text, figure))
    named = bool(_CITY_BODY.search(near)) or bool(names_in(near) & shared_names)
    return bool(_CITY_SCOPE.search(near) or _BODY_SUBJECT.match(text) or (named and given and given <= shared_figures))


# Where one clause ends and the next begins: a comma, a semicolon or colon, a relative or
# subordinating word ("35 hushåll med 96 personer som hade anvisats till staden").
_RELATIVE_WORDS = "som|vilket|vilka|varav|där"
_CLAUSE_BREAK = re.compile(rf";\s*|:\s+|,\s+|\s+(?=(?:{_RELATIVE_WORDS}|medan|eftersom)\s)", re.IGNORECASE)
# A clause that a relative word opens goes with the noun before it (see :func:`_clause_of`).
_RELATIVE = re.compile(rf"(?:{_RELATIVE_WORDS})\b", re.IGNORECASE)
# A place or direction between a figure and a relative clause ("640 lås till den nya modell som …"):
# the relative clause describes that other noun, not what is counted.
_DETACHED = re.compile(r"(?<=\s)(?:till|från|i|på|vid|mot|inom|genom|hos|utan|enligt|efter)\s", re.IGNORECASE)
# A clause that opens on its verb continues the sentence's first clause, its subject
# ("Stadens budget, som fullmäktige antog i juni, ger nämnden 2,4 procent").
_OPENS_ON_VERB = re.compile(r"(?:och\s+|men\s+)?(?:är|har|ger|gav|var|blev|fick|hade|innebär|innebar|uppgår|uppgick|omfattar|omfattade)\b", re.IGNORECASE)


def _clause_of(text: str, part: str) -> str:
    """The clause of ``text`` that holds ``part`` (a figure, a date, a routine): whose it is is said
    in its own clause. "På varje enhet finns en hälsoinspiratör, sammanlagt 31, som uppmuntrar till
    att använda stadens friskvårdsbidrag": the 31 are the förvaltning's, the bidrag the city's. A
    relative clause goes with the noun it describes ("stadens tolkkostnader, som uppgick till 58
    miljoner"), a defining one with what it defines ("57 procent av dem som har hemtjänst i
    Stockholm"), and a clause that opens on its verb with the sentence's first clause, its subject
    ("Stadens budget, som fullmäktige antog i juni, ger 2,4 procent")."""
    i = text.find(part.strip())
    if i < 0:
        return text
    cuts = [0] + [b.end() for b in _CLAUSE_BREAK.finditer(text)] + [len(text) + 1]
    parts = [(a, b) for a, b in zip(cuts, cuts[1:]) if a < b]
    k = next(n for n, (a, b) in enumerate(parts) if a <= i < b)
    lo, hi = k, k
    if _RELATIVE.match(text[parts[k][0] :]) and k:
        lo = k - 1
    if (
        k + 1 < len(parts)
        and _RELATIVE.match(text[parts[k + 1][0] :])
        and not text[: parts[k + 1][0]].rstrip().endswith(",")
        and not _DETACHED.search(text[i : parts[k + 1][0]])
    ):
        # A defining relative clause ("dem som har hemtjänst i Stockholm") says what is counted; one
        # set off by a comma ("31 inspiratörer, som uppmuntrar till stadens friskvårdsbidrag") adds to
        # it, and so does one after a phrase of the verb's ("640 lås byttes till den modell som ingår
        # i stadens avtal": the model is the city's, the 640 locks the förvaltning's).
        hi = k + 1
    clause = text[parts[lo][0] : parts[hi][1]]
    if lo and _OPENS_ON_VERB.match(clause):
        return text[: parts[0][1]] + " " + clause
    return clause


# Where a sentence's first main clause ends and a second begins: a semicolon, or a comma before "och",
# "men", "medan" or "samtidigt som". Not in a sentence that opens on a subordinate clause ("När
# stadens riktlinjer ändrades, och …"): its first part says nothing on its own.
_MAIN_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:och|men|medan|samtidigt\s+som)\s+(?=\S)", re.IGNORECASE)
_SUBORDINATE_START = re.compile(r"\s*(?:när|om|eftersom|då|innan|även\s+om|trots\s+att|för\s+att|medan|om\s+än)\b", re.IGNORECASE)


def first_main_clause(sentence: str) -> tuple[int, int] | None:
    """Offsets in ``sentence`` where its first main clause ends and the rest begins (after the
    conjunction), or None. "Stadsdelsnämnderna får investeringsmedel för parker genom stadens
    investeringsbudget, och nämndens ram för 2022 är 3,9 miljoner kronor" is one city rule and one
    district's figure: the drafter states the first and asks the officer to confirm the second."""
    if _SUBORDINATE_START.match(sentence):
        return None
    for m in _MAIN_CLAUSE_BREAK.finditer(sentence):
        head = sentence[: m.start()]
        # Not inside brackets or a quotation ("(SFS 2001:453; ändrad 2020)"): the clause would not close.
        if head.count("(") == head.count(")") and head.count("”") % 2 == 0 and head.count('"') % 2 == 0:
            return m.start(), m.end()
    return None


def _preterite_verbs(text: str) -> list[str]:
    """Words in the past tense (strong verbs, weak -ade/-de/-te endings; not present participles)."""
    out = []
    for w in re.findall(r"[a-zåäö]+", text):
        if w in _PRETERITE_STRONG or (_PRETERITE_WEAK.match(w) and not w.endswith(("ande", "ende"))):
            out.append(w)
    return out


def _local_name(text: str, shared_names: frozenset[str], proper_zipf: float, own_names: frozenset[str] = frozenset()) -> str | None:
    """A name in the sentence that belongs to one district: an unknown proper noun, an acronym the
    glossary does not know, a capitalised name in quotes – unless answers of several districts use it."""
    known = _known_terms()
    for m in _ACRONYM.finditer(text):
        acro = m.group(1)
        if acro.lower() in known or acro.lower() in shared_names or registry.canonical_party(acro) or LAW_REF.search(text[max(0, m.start() - 12) : m.end() + 12]):
            continue
        return m.group(0)
    m = _QUOTED_NAME.search(text)
    if m and m.group(1).strip().lower() not in shared_names and m.group(1).strip().lower() not in known:
        return m.group(1).strip()
    return _unknown_proper_noun(text, proper_zipf, own_names, shared_names)


@lru_cache(maxsize=1)
def _known_terms() -> frozenset[str]:
    """Terms the registry's glossary explains (RSU, BUP, SoL…): national or city-wide, never local."""
    return frozenset(t.lower() for t in registry.glossary())


def names_in(text: str) -> set[str]:
    """Candidate names a document uses (acronyms, quoted and unknown capitalised words, not a word
    right before another capitalised one), lower-case: the drafter counts in how many districts'
    answers each occurs (``shared_names`` above)."""
    out = {m.group(1).lower() for m in _ACRONYM.finditer(text)}
    out.update(m.group(1).strip().lower() for m in _QUOTED_NAME.finditer(text))
    for m in _CAP_WORD.finditer(text):
        if m.start() and not re.search(r"[.:!?]\s*$", text[max(0, m.start() - 3) : m.start()]) and not _BEFORE_NAME.match(text, m.end()):
            out.add(m.group(1).lower())
    return out


# A capitalised word right before another is a first name ("Sofia Lindahl", the handläggare) or
# the first word of a longer name: officers of every district share first names, which would make
# "Sofia" the city's and hide "Sofia församling" as one district's partner.
_BEFORE_NAME = re.compile(r"[ \t]+[A-ZÅÄÖ][a-zåäöé]")


# "en CSU-grupp", "ett konstnärligt ljusprojekt": the noun after an article and, when the word after the
# article can be an adjective ("nya", "konstnärligt", "lokal"), the word after that too.
_INTRODUCED = re.compile(r"\b(?:en|ett)\s+([\wÅÄÖåäö]+(?:-[\wÅÄÖåäö]+)*)(?:\s+([\wÅÄÖåäö]+(?:-[\wÅÄÖåäö]+)*))?", re.IGNORECASE)
_ADJECTIVE_END = ("a", "t", "ig", "isk", "ell", "al", "iv")


def _definite_forms(noun: str) -> set[str]:
    """The definite singular forms a later sentence may use for ``noun`` ("csu-grupp" → "csu-gruppen")."""
    base = noun[:-1] if noun.endswith("e") else noun
    return {noun + "en", noun + "et", noun + "n", noun + "t", base + "en"}


def subject_forms(text: str) -> frozenset[str]:
    """The lower-case words of ``text`` (hyphenated compounds whole) with the definite forms
    :func:`local_entities` would give them: what an inquiry names, in the forms a precedent uses."""
    out: set[str] = set()
    for w in re.findall(r"[\wÅÄÖåäö]+(?:-[\wÅÄÖåäö]+)*", text.lower()):
        out.add(w)
        out.update(_definite_forms(w))
    return frozenset(out)


def local_entities(local_sentences: list[str], thresholds: DraftingSettings | None = None) -> frozenset[str]:
    """Definite forms of nouns that local sentences introduce ("en CSU-grupp" → "csu-gruppen"),
    so later sentences about *that* group are recognised as local too; a view or stance introduces
    nothing (what it proposes does not exist there yet). Nouns at least ``common_noun_zipf``
    common are generic (``thresholds``: the drafting settings; default: the process-wide ones)."""
    common_zipf = (thresholds if thresholds is not None else get_settings().drafting).common_noun_zipf
    forms: set[str] = set()
    for sentence in local_sentences:
        if OPINION.search(sentence) or STANCE.search(sentence):
            continue  # "Förvaltningen bedömer att en vandring per år är rimlig": a thing proposed, not one it has
        for m in _INTRODUCED.finditer(sentence):
            first, second = m.group(1).lower(), (m.group(2) or "").lower()
            for noun in (first, second) if second and first.endswith(_ADJECTIVE_END) else (first,):
                if len(noun) < 4 or noun in ("annan", "annat", "viss", "sådan"):
                    continue
                if zipf_frequency(noun, "sv") >= common_zipf:
                    continue  # "en elev", "en skola": generic, every later mention is not about that one
                # The definite singular points back to that one; the plural ("hundrastgårdarna") speaks of the kind.
                forms.update(_definite_forms(noun))
    return frozenset(forms)


def _unknown_proper_noun(
    text: str, proper_zipf: float, own_names: frozenset[str] = frozenset(), shared_names: frozenset[str] = frozenset()
) -> str | None:
    """A capitalised word inside the sentence that is not a Swedish word (wordfreq Zipf below
    ``proper_zipf``): a school, team or place; opening the sentence, only a name of ``own_names``.
    Names several districts use (``shared_names``) are passed over, not the end of the search: in
    "Stiftelsen Ljusgården … vid Mariaberget" a shared "Ljusgården" leaves "Mariaberget" to be read."""
    for m in _CAP_WORD.finditer(text):
        word = m.group(1)
        if word.lower() in shared_names:
            continue
        if m.start() == 0 or re.search(r"[.:!?]\s*$", text[: m.start()]):
            if word.lower() in own_names:
                return word
            continue  # sentence-initial capital
        if _is_unknown_name(word, proper_zipf):
            return word
    return None


def adapt(sentence: str, source_district: str | None, target_district: str | None) -> str:
    """The sentence with hard wraps removed and the precedent's self-references rewritten."""
    text = unwrap(sentence)
    target = target_district or UNKNOWN_DISTRICT
    if source_district and source_district != target:
        text = districts.rewrite(text, source_district, target)
    return text


def cites_old_sol(sentence: str, precedent_date: str | None) -> bool:
    """True when the sentence cites a chapter/§ of the Social Services Act replaced on 2025-07-01."""
    if not SOL_REF.search(sentence):
        return False
    return precedent_date is None or precedent_date < NEW_SOL_DATE
