"""Writing chosen precedent sentences as the draft's paragraphs, each run of sentences cited exactly.

Three kinds of paragraph, by whose words a sentence is: the receiving district's own earlier answer
(stated as its own, flagged ``att_uppdatera``), another district's city-wide sentences (adapted to
the receiving district), and another district's local fact (one paragraph each, flagged
``att_bekrafta``). A sentence that opens on the city's rule and goes on to one förvaltning's own
figure or deed gives one of each (``Classifier.split``). The :class:`Writer` asks the draft's
:class:`~assistant.draft.localness.Classifier` which is which and the
:class:`~assistant.draft.law_check.LawChecker` about law references;
:class:`Build` numbers the citations. Shared by the precedent drafter and the workbench, so a
composed draft reads like a full one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.draft import adapt
from assistant.draft.law_check import LawChecker, outdated_flag
from assistant.draft.localness import Classifier
from assistant.draft.quotable import ENDS_SENTENCE, Candidate, adjacent_runs, by_document
from assistant.draft.skeleton import placeholder
from assistant.models import Citation, Flag, Paragraph, ParsedDocument
from assistant.text import confirm_local, sentences, squash, stems, unwrap


@dataclass
class Build:
    """Citations collected while drafting, numbered in order of first use."""

    citations: list[Citation] = field(default_factory=list)

    def cite(self, doc: ParsedDocument, start: int, end: int, section: str) -> int:
        """The number of ``doc[start:end]``'s citation: the one it already has, else the next."""
        for c in self.citations:
            if c.doc_id == doc.doc_id and c.start == start and c.end == end:
                return c.id
        c = doc.citation(len(self.citations) + 1, start, end, section)
        self.citations.append(c)
        return c.id


class Writer:
    """Paragraphs for a drafter's drafts, classified by ``classifier``, law references checked by ``laws``."""

    def __init__(self, classifier: Classifier, laws: LawChecker) -> None:
        self.classifier = classifier
        self.laws = laws

    def answer(self, chosen: list[Candidate], target: str | None, build: Build, answers: list[Paragraph], summary: list[Paragraph]) -> None:
        """A point's chosen sentences as paragraphs added to ``answers``, and their lead sentence to
        ``summary`` (the Sammanfattning): the one step a full draft and a composed one share."""
        paras = self.paragraphs(chosen, target, build)
        answers.extend(paras)
        if (lead := summary_lead(paras)) is not None:
            summary.append(lead)

    def paragraphs(self, chosen: list[Candidate], target: str | None, build: Build) -> list[Paragraph]:
        """City-wide sentences grouped per document in document order; local ones each on their own."""
        out: list[Paragraph] = []
        for group in by_document(chosen):
            if group[0].own:
                out.append(self.own_paragraph(group, target, build))
                continue
            city: list[Candidate] = []
            for c in group:
                verdict = self.classifier.classify(c)
                if not verdict.local:
                    city.append(c)
                elif (parts := self.classifier.split(c)) is not None:
                    # The city's rule is stated; the förvaltning's own figure or deed after it is confirmed.
                    head, tail, why = parts
                    city.append(head)
                    out.append(self.local_paragraph(tail, target, build, why.reason))
                else:
                    out.append(self.local_paragraph(c, target, build, verdict.reason))
            if city:
                out.append(self.city_paragraph(city, target, build))
        # The district's own earlier words first, then city-wide text, confirmations last.
        return sorted(out, key=lambda p: (p.role == "local", not any(f.kind == "att_uppdatera" for f in p.flags)))

    def city_paragraph(self, group: list[Candidate], target: str | None, build: Build) -> Paragraph:
        """Another district's city-wide sentences (one document's, in order), adapted to ``target``;
        adjacent ones cited as one span."""
        doc = group[0].doc
        pieces: list[str] = []
        cites: list[int] = []
        flags: list[Flag] = []
        runs = adjacent_runs(group, doc.text)
        for run in runs:
            start, end = run[0].span.start, run[-1].span.end
            cid = build.cite(doc, start, end, run[0].section)
            cites.append(cid)
            text = " ".join(adapt.adapt(c.span.text, doc.metadata.district, target) + ("." if c.head else "") for c in run)
            pieces.append(f"{text} [{cid}]")
            if any(adapt.cites_old_sol(c.span.text, doc.metadata.date) for c in run):
                flags.append(outdated_flag(doc))
            flags.extend(f for c in run if (f := self.laws.suspect(c.span.text, doc)))
        text = " ".join(pieces)
        if adapt.UNKNOWN_DISTRICT in text:
            flags.append(Flag(kind="placeholder", message="Ange stadsdelen: mottagande stadsdel är okänd."))
        return Paragraph(text=text, role="content", citations=cites, flags=flags)

    def own_paragraph(self, group: list[Candidate], target: str | None, build: Build) -> Paragraph:
        """Sentences of the district's own earlier answer (or its former district's): stated as its
        own, local facts included, but flagged to be brought up to date with the answer's date."""
        doc = group[0].doc
        pieces: list[str] = []
        cites: list[int] = []
        for run in adjacent_runs(group, doc.text):
            cid = build.cite(doc, run[0].span.start, run[-1].span.end, run[0].section)
            cites.append(cid)
            pieces.append(f"{' '.join(unwrap(c.span.text) for c in run)} [{cid}]")
        m = doc.metadata
        former = f"{m.district}s" if m.district and m.district != target else "förvaltningens"
        flags = [
            Flag(
                kind="att_uppdatera",
                message=f"Ur {former} eget tidigare svar ({m.date or 'odaterat'}{', Dnr ' + m.diarienummer if m.diarienummer else ''}): "
                "kontrollera att uppgifterna fortfarande gäller och uppdatera siffror, enheter och planer.",
                source_doc_id=doc.doc_id,
            )
        ]
        if any(adapt.cites_old_sol(c.span.text, m.date) for c in group):
            flags.append(outdated_flag(doc))
        flags.extend(f for c in group if (f := self.laws.suspect(c.span.text, doc)))
        return Paragraph(text=" ".join(pieces), role="content", citations=cites, flags=flags)

    def local_paragraph(self, c: Candidate, target: str | None, build: Build, reason: str) -> Paragraph:
        """Another district's local fact, on its own, to be confirmed for ``target`` (``reason``: why local)."""
        doc = c.doc
        source = doc.metadata.district or "en annan stadsdel"
        cid = build.cite(doc, c.span.start, c.span.end, c.section)
        who = target or "stadsdelen"
        text = f"{confirm_local(who, source, unwrap(c.span.text))} [{cid}]"
        flags = [Flag(kind="att_bekrafta", message=f"Uppgift från {source} ({reason}); gäller den för {who}?", source_doc_id=doc.doc_id)]
        if adapt.cites_old_sol(c.span.text, doc.metadata.date):
            flags.append(outdated_flag(doc))
        if (suspect := self.laws.suspect(c.span.text, doc)) is not None:
            flags.append(suspect)
        return Paragraph(text=text, role="local", citations=[cid], flags=flags)

    def child_analysis(self, docs: dict[str, ParsedDocument], target: str | None, build: Build, used: set) -> list[Paragraph]:
        """The Barnkonsekvensanalys: the precedents' city-wide child-impact sentences not ``used``
        already, else a placeholder."""
        out: list[Paragraph] = []
        for doc in docs.values():
            for s in doc.sections:
                if s.role != "child_analysis":
                    continue
                group = []
                for sp in sentences(doc.text, s.body_start, s.end):
                    if len(stems(sp.text)) < 4 or (doc.doc_id, sp.start) in used or not ENDS_SENTENCE.search(squash(sp.text)):
                        continue
                    group.append(Candidate(doc, sp, s.canonical, 0.0))
                city = [c for c in group if not self.classifier.classify(c).local]
                if city:
                    out.append(self.city_paragraph(city, target, build))
        if not out:
            out.append(placeholder("[BARNKONSEKVENSANALYS]", "Beskriv hur förslaget påverkar barn (barnrättsperspektivet)."))
        return out


def summary_lead(paras: list[Paragraph]) -> Paragraph | None:
    """The Sammanfattning's sentence for one answered point: the first sentence of its first
    city-wide paragraph, cited, with the flags that sentence carries (an older law, own words to update)."""
    first = next((p for p in paras if p.role == "content"), None)
    if first is None:
        return None
    lead = _first_sentence_with_marker(first)
    law = [f for f in first.flags if (f.kind == "outdated_law" and adapt.cites_old_sol(lead, None)) or f.kind == "att_uppdatera"]
    return Paragraph(text=lead, role="content", citations=first.citations[:1], flags=law)


def _first_sentence_with_marker(p: Paragraph) -> str:
    """The paragraph's first cited run, marker included ("… text. [3]")."""
    m = re.search(r"\[\d+\]", p.text)
    return p.text[: m.end()] if m else p.text

