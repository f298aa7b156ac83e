"""The fixed frame of a tjänsteutlåtande, the same whichever drafter writes the answer.

The city's section order, the decision formula that fits the inquiry's kind and sender, the summary's
opening, the Bakgrund and Ärendet paragraphs, the placeholders an officer fills in and the signatures:
built here, once, by :func:`skeleton`, and used by the precedent drafter, the LLM drafter and the
no-precedent answer alike. Only the answering content differs between them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant import registry
from assistant.draft import districts
from assistant.text import stems
from assistant.models import DraftSection, Flag, Inquiry, Paragraph

SECTION_ORDER = (
    "Förvaltningens förslag till beslut",
    "Sammanfattning",
    "Bakgrund",
    "Ärendet",
    "Ärendets beredning",
    "Förvaltningens synpunkter och förslag",
    "Barnkonsekvensanalys",
    "Underskrifter",
)

CHILD_STEMS = {"barn", "elev", "ung", "ungdom", "skol", "förskol", "elever", "unga"}

def kind_noun(inquiry: Inquiry) -> str:
    return {"motion": "motion", "remiss": "remiss"}.get(inquiry.kind, "skrivelse")

def kind_word(inquiry: Inquiry) -> str:
    return {"motion": "motionen", "remiss": "remissen", "skrivelse": "skrivelsen"}.get(inquiry.kind, "skrivelsen")

def decision_formula(inquiry: Inquiry) -> str:
    """The decision wording that fits the inquiry's kind."""
    nämnd = districts.committee(inquiry.district)
    if inquiry.kind in ("motion", "remiss"):
        return f"{nämnd} godkänner förvaltningens tjänsteutlåtande och överlämnar det till {inquiry.recipient or 'kommunstyrelsen'} som svar på remissen."
    return f"{nämnd} godkänner förvaltningens tjänsteutlåtande som svar på {kind_word(inquiry)}."

def point_label(inquiry: Inquiry) -> str:
    return "Fråga" if inquiry.questions else "Att-sats" if inquiry.att_satser else "Ärendet"

def point_heading(inquiry: Inquiry, i: int, point: str) -> str:
    """ "Fråga 1: …?" / "Att-sats 2: …"; an inquiry without either is introduced by its opening."""
    label = point_label(inquiry)
    if label == "Ärendet":
        return f"Ärendet gäller: {point[:200].rstrip()}{'…' if len(point) > 200 else ''}"
    return f"{label} {i}: {point}"

def placeholder(text: str, message: str) -> Paragraph:
    return Paragraph(text=text, role="placeholder", flags=[Flag(kind="placeholder", message=message)])

_NUMBER_WORDS = ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv")

_TITLE_SUBJECT = re.compile(r"\b(?:om|angående|gällande|rörande|avseende|kring)\s+(.+)$", re.IGNORECASE)

def count_words(n: int, singular: str, plural: str) -> str:
    """"en fråga", "tre frågor", "14 frågor": numbers up to twelve written out, as in running text."""
    number = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)
    return f"{number} {singular if n == 1 else plural}"

def party_name(abbreviation: str) -> str:
    """"L" → "Liberalerna (L)" from the registry; an unknown abbreviation stays "(X)"."""
    party = next((p for p in registry.parties() if p.abbreviation == abbreviation), None)
    return f"{party.name} ({abbreviation})" if party else f"({abbreviation})"

def sender(inquiry: Inquiry) -> str:
    """Who sent the inquiry: "Anna Berg, Moderaterna (M)", "Liberalerna (L)", or "" when unknown."""
    parties = ", ".join(party_name(p) for p in inquiry.parties)
    who = ", ".join(inquiry.authors)
    return ", ".join(x for x in (who, parties) if x)

def inquiry_summary(inquiry: Inquiry) -> str:
    """The opening of the Sammanfattning: what was asked, by whom, about what."""
    # A motion sent on remiss proposes through the motion; a skrivelse asks.
    what = "motionen" if inquiry.att_satser and not inquiry.questions else kind_word(inquiry)
    who = sender(inquiry)
    if who:
        # "från Anna Berg, Moderaterna (M), ställs …": the party is an apposition, closed by a comma.
        what = f"{what} från {who}{',' if inquiry.authors and inquiry.parties else ''}"
    parts = []
    if inquiry.att_satser:
        parts.append(f"föreslås {count_words(len(inquiry.att_satser), 'åtgärd', 'åtgärder')}")
    if inquiry.questions:
        parts.append(f"ställs {count_words(len(inquiry.questions), 'fråga', 'frågor')}")
    asks = " och ".join(parts) or "tas frågor upp"
    subject = _TITLE_SUBJECT.search(inquiry.title or "")
    if subject:
        about = f" om {subject.group(1).rstrip(' .')}."
    elif inquiry.title:
        about = f" under rubriken ”{inquiry.title}”."
    else:
        about = ", återgivna under Ärendet." if inquiry.questions or inquiry.att_satser else "."
    return f"I {what} {asks}{about}"

def background_paragraph(inquiry: Inquiry) -> Paragraph:
    nämnd = districts.committee(inquiry.district)
    what = {"motion": "en remiss av en motion", "remiss": "en remiss", "skrivelse": "en skrivelse"}.get(inquiry.kind, "en skrivelse")
    return placeholder(
        f"{nämnd} överlämnade den [DATUM] {what} från {sender(inquiry) or '[AVSÄNDARE]'} till förvaltningen för beredning.",
        "Ange datum då nämnden överlämnade ärendet (och diarienummer).",
    )

def case_paragraphs(inquiry: Inquiry) -> list[Paragraph]:
    if inquiry.questions:
        paras = [Paragraph(text=f"I {kind_word(inquiry)} ställs följande frågor:", role="inquiry")]
        paras += [Paragraph(text=f"{i}. {q}", role="question") for i, q in enumerate(inquiry.questions, 1)]
        return paras
    if inquiry.att_satser:
        paras = [Paragraph(text="Motionären föreslår att kommunfullmäktige beslutar att", role="inquiry")]
        paras += [Paragraph(text=f"{i}. {a}", role="question") for i, a in enumerate(inquiry.att_satser, 1)]
        return paras
    return [placeholder("[SAMMANFATTNING AV ÄRENDET]", "Sammanfatta vad ärendet gäller.")]

def signature_section() -> DraftSection:
    return DraftSection(
        heading="Underskrifter",
        paragraphs=[
            placeholder("[NAMN, stadsdelsdirektör]", "Stadsdelsdirektörens namn."),
            placeholder("[NAMN, avdelningschef]", "Avdelningschefens namn."),
        ],
    )

def concerns_children(inquiry: Inquiry) -> bool:
    found = stems(inquiry.text)
    return any(s in found or any(f.startswith(s) for f in found) for s in CHILD_STEMS)


PREPARATION_PLACEHOLDER = Paragraph(
    text="Ärendet har beretts inom [AVDELNING].",
    role="placeholder",
    flags=[Flag(kind="placeholder", message="Ange avdelningen som berett ärendet och eventuell samverkan/MBL.")],
)


def skeleton(
    inquiry: Inquiry,
    *,
    summary: Sequence[Paragraph],
    answers: Sequence[Paragraph],
    background: Sequence[Paragraph] = (),
    preparation: Sequence[Paragraph] | None = None,
    child_analysis: Sequence[Paragraph] | None = None,
) -> list[DraftSection]:
    """The tjänsteutlåtande's sections in the city's order around a drafter's content.

    ``child_analysis`` is shown when given, or as a placeholder when the inquiry concerns children
    (every tjänsteutlåtande about children needs one); ``preparation`` defaults to the placeholder.
    """
    sections = [
        DraftSection(heading="Förvaltningens förslag till beslut", paragraphs=[Paragraph(text=decision_formula(inquiry), role="formula")]),
        DraftSection(heading="Sammanfattning", paragraphs=list(summary)),
        DraftSection(heading="Bakgrund", paragraphs=[background_paragraph(inquiry), *background]),
        DraftSection(heading="Ärendet", paragraphs=case_paragraphs(inquiry)),
        DraftSection(
            heading="Ärendets beredning",
            paragraphs=list(preparation) if preparation is not None else [PREPARATION_PLACEHOLDER.model_copy(deep=True)],
        ),
        DraftSection(heading="Förvaltningens synpunkter och förslag", paragraphs=list(answers)),
    ]
    if child_analysis or concerns_children(inquiry):
        sections.append(
            DraftSection(
                heading="Barnkonsekvensanalys",
                paragraphs=list(child_analysis or [placeholder("[BARNKONSEKVENSANALYS]", "Beskriv hur förslaget påverkar barn (barnrättsperspektivet).")]),
            )
        )
    sections.append(signature_section())
    return sections


TRAILING_SECTIONS = frozenset({"Underskrifter", "Bilagor", "Attesterat av"})
"""Sections that close a tjänsteutlåtande: an added section goes before them."""

REVIEW_FLAGS = ("att_bekrafta", "att_uppdatera", "outdated_law", "suspect_law", "position")
"""Paragraph flags also listed on the draft itself, so a reviewer sees them at the top."""


def review_flags(sections: Sequence[DraftSection]) -> list[Flag]:
    """The paragraphs' flags a reviewer must act on, each once, in reading order."""
    out: list[Flag] = []
    for sec in sections:
        for p in sec.paragraphs:
            for f in p.flags:
                if f.kind in REVIEW_FLAGS and f not in out:
                    out.append(f)
    return out
