"""The LLM drafter: a LangChain chat model writes from numbered precedent passages.

Evidence is chosen exactly as the default drafter chooses it (:meth:`PrecedentDrafter.gather`), so
"no precedent" is decided the same way and the model is never asked to write without sources: it
is not even called then. The model sees the passages numbered ``[1]…[N]`` and may cite only those;
its streamed output is parsed into a :class:`Draft` (headings → sections, ``[n]`` → citations) that
the service verifies like any other draft: citations outside ``1…N`` are removed and flagged,
unsupported sentences flagged, another district's local facts flagged ``att_bekrafta``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from langchain_core.messages import HumanMessage, SystemMessage

from assistant.draft import adapt, districts
from assistant.draft.paragraphs import Build
from assistant.draft.precedent_drafter import PrecedentDrafter
from assistant.draft.quotable import adjacent_runs, by_document
from assistant.draft.skeleton import SECTION_ORDER, placeholder, review_flags, skeleton
from assistant.models import Citation, Draft, Flag, Inquiry, Paragraph
from assistant.resources import load_prompt
from assistant.text import sentences, squash, starts_with_confirm

MODEL_SECTIONS = ("Sammanfattning", "Förvaltningens synpunkter och förslag", "Barnkonsekvensanalys")
_HEADING = re.compile(r"^\s*#{1,4}\s*(.+?)\s*#*\s*$")
_BOLD_HEADING = re.compile(r"^\s*\*\*(.+?)\*\*\s*$")
_MARKER = re.compile(r"\[(\d+)\]")
_PLACEHOLDER = re.compile(r"\[[A-ZÅÄÖ][A-ZÅÄÖ ,.\-]{3,}\]")


class LLMDrafter:
    name = "llm"

    def __init__(self, assistant, model=None) -> None:
        self.assistant = assistant
        self._model = model
        self.allowed: list[Citation] | None = None
        """The numbered passages of the last call: the only citations a verified draft may keep."""

    @property
    def model(self):
        if self._model is None:
            from assistant.llm import make_chat_model

            self._model = make_chat_model(self.assistant.settings)
        return self._model

    def stream(self, inquiry: Inquiry, exclude_doc_ids: list[str]) -> Iterator[str | Draft]:
        """Yield the model's tokens as they arrive, then the parsed (unverified) Draft."""
        base = PrecedentDrafter(self.assistant)
        found = base.gather(inquiry, exclude_doc_ids)
        if not found.has_precedent:
            draft = base.no_precedent(inquiry, found, exclude_doc_ids).model_copy(update={"drafter": self.name})
            self.allowed = []
            yield draft
            return
        numbered = self.number_passages(found)
        self.allowed = numbered
        messages = self.messages(inquiry, found.points, numbered)
        parts: list[str] = []
        for chunk in self.model.stream(messages):
            text = chunk.content if isinstance(chunk.content, str) else "".join(
                c.get("text", "") if isinstance(c, dict) else str(c) for c in chunk.content
            )
            if text:
                parts.append(text)
                yield text
        draft = self.parse("".join(parts), inquiry, numbered, exclude_doc_ids)
        draft.nearest = list(found.precedents.values())
        yield draft

    # --- prompt -------------------------------------------------------------------------------
    @staticmethod
    def number_passages(found) -> list[Citation]:
        """The chosen sentences, adjacent ones joined, as citations numbered 1…N in order of use."""
        build = Build()
        for chosen in found.chosen:
            for group in by_document(chosen):
                doc = group[0].doc
                for run in adjacent_runs(group, doc.text):
                    build.cite(doc, run[0].span.start, run[-1].span.end, run[0].section)
        return build.citations

    def messages(self, inquiry: Inquiry, points: list[str], numbered: list[Citation]) -> list:
        passages = "\n".join(
            f"[{c.id}] ({c.district or 'okänd stadsdel'}, {c.date or 'odaterat'}, {c.section}): {squash(c.quote)}" for c in numbered
        )
        settings = self.assistant.settings
        user = load_prompt("draft_user.md", settings).format(
            district=f"{inquiry.district} stadsdelsnämnd" if inquiry.district else "(anges inte)",
            kind=inquiry.kind,
            points="\n".join(f"{i}. {p}" for i, p in enumerate(points, 1)),
            passages=passages,
        )
        return [SystemMessage(content=load_prompt("draft_system.md", settings)), HumanMessage(content=user)]

    # --- parsing ------------------------------------------------------------------------------
    def parse(self, output: str, inquiry: Inquiry, numbered: list[Citation], exclude_doc_ids: list[str]) -> Draft:
        """The model's Markdown as a Draft in the city's section order, framed by fixed sections."""
        by_id = {c.id: c for c in numbered}
        written: dict[str, list[Paragraph]] = {h: [] for h in MODEL_SECTIONS}
        current = "Förvaltningens synpunkter och förslag"
        for block in re.split(r"\n\s*\n", output.strip()):
            lines = []
            for line in block.splitlines():
                m = _HEADING.match(line) or _BOLD_HEADING.match(line)
                if m:
                    current = _section_for(m.group(1), current)
                    continue
                lines.append(line.strip())
            text = squash(" ".join(lines))
            if text:
                written[current].append(self._paragraph(text, inquiry.district, by_id))
        cited = sorted({n for paras in written.values() for p in paras for n in p.citations if n in by_id})
        sections = skeleton(
            inquiry,
            summary=written["Sammanfattning"],
            answers=written["Förvaltningens synpunkter och förslag"],
            child_analysis=written["Barnkonsekvensanalys"] or None,
        )
        flags = review_flags(sections)
        return Draft(
            district=inquiry.district,
            inquiry=inquiry,
            sections=[s for s in sections if s.paragraphs],
            citations=[by_id[n] for n in cited],
            flags=flags,
            drafter=self.name,
            excluded_doc_ids=list(exclude_doc_ids),
        )

    @staticmethod
    def _paragraph(text: str, district: str | None, by_id: dict[int, Citation]) -> Paragraph:
        cites = list(dict.fromkeys(int(n) for n in _MARKER.findall(text)))
        if not cites and _PLACEHOLDER.search(text):
            return placeholder(text, "Modellen hittade inget stöd i källorna: förvaltningen skriver texten.")
        if re.match(r"^Fråga \d+\s*:?[^\[]*\?$", text):
            return Paragraph(text=text, role="question")
        flags: list[Flag] = []
        role = "content"
        sources = [by_id[n] for n in cites if n in by_id]
        reasons = []
        if starts_with_confirm(text):
            reasons.append("markerad av modellen")
        for c in sources:
            for s in sentences(text):
                verdict = adapt.classify(_MARKER.sub("", s.text), c.district)
                if verdict.local:
                    reasons.append(f"{verdict.reason}, källa {c.district or 'annan stadsdel'}")
                    break
        for other in districts.find(text):
            if not districts.same(other, district):
                reasons.append(f"nämner {other}")
        if reasons:
            role = "local"
            flags.append(
                Flag(
                    kind="att_bekrafta",
                    message=f"Uppgift som kan gälla en annan stadsdel ({'; '.join(dict.fromkeys(reasons))}): bekräfta för {district or 'stadsdelen'}.",
                    source_doc_id=sources[0].doc_id if sources else None,
                )
            )
        for c in sources:
            if adapt.cites_old_sol(text, c.date):
                flags.append(
                    Flag(
                        kind="outdated_law",
                        message=f"Lagrummet kommer från ett utlåtande {c.date or 'odaterat'}; socialtjänstlagen ersattes av SFS 2025:400 från {adapt.NEW_SOL_DATE}.",
                        source_doc_id=c.doc_id,
                    )
                )
                break
        return Paragraph(text=text, role=role, citations=cites, flags=flags)


def _section_for(heading: str, current: str) -> str:
    """Map a heading the model wrote to one of the sections it may write; others keep the current one."""
    h = heading.lower()
    for name in MODEL_SECTIONS:
        if name.lower() in h or h in name.lower():
            return name
    if "synpunkt" in h or "förslag" in h and "beslut" not in h:
        return "Förvaltningens synpunkter och förslag"
    if "barn" in h:
        return "Barnkonsekvensanalys"
    if "sammanfatt" in h:
        return "Sammanfattning"
    return current if current in SECTION_ORDER else "Förvaltningens synpunkter och förslag"
