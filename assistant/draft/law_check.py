"""Law references in quoted sentences: an older law, or a chapter the archive gives differently.

A quoted sentence keeps its law reference as the precedent wrote it; the reader is told when to check
it. :func:`outdated_flag`: the precedent predates the new socialtjänstlag (SFS 2025:400).
:class:`LawChecker`: other documents state the same rule under another chapter or paragraph of the
same law (a likely error), found with a retrieval search once per sentence and drafter. Kept apart
from the paragraph writer, which only attaches the flags.
"""

from __future__ import annotations

from assistant.draft import adapt
from assistant.models import Flag, ParsedDocument
from assistant.settings import DraftingSettings
from assistant.text import LAW_REF, law_citations, sentences, stems


class LawChecker:
    """Suspect law references for a drafter; ``assistant`` gives ``.retriever``."""

    def __init__(self, assistant, thresholds: DraftingSettings) -> None:
        self.assistant = assistant
        self.thresholds = thresholds
        self._suspects: dict[tuple[str, str], Flag | None] = {}

    def suspect(self, text: str, doc: ParsedDocument) -> Flag | None:
        """A law reference that the rest of the archive gives differently for the same rule: other
        documents state what this sentence states (its words, law references aside) but cite another
        chapter or paragraph of the same law, and none cites this one. Flagged as a likely error.
        Searched once per sentence and draft (a sentence may appear in the answer and the summary)."""
        cache = self._suspects
        if (doc.doc_id, text) not in cache:
            cache[(doc.doc_id, text)] = self._find(text, doc)
        return cache[(doc.doc_id, text)]

    def _find(self, text: str, doc: ParsedDocument) -> Flag | None:
        cited = law_citations(text)
        if not cited:
            return None
        context = stems(LAW_REF.sub(" ", text))
        if len(context) < 3:
            return None
        for law, ref, _ in cited:
            others: dict[str, set[str]] = {}
            same: set[str] = set()
            for p in self.assistant.retriever.search(LAW_REF.sub(" ", text), k=self.thresholds.suspect_law_search):
                if p.doc_id == doc.doc_id:
                    continue
                for sp in sentences(p.text):
                    refs = [(lw, rf) for lw, rf, _ in law_citations(sp.text) if lw == law]
                    if not refs:
                        continue
                    theirs = stems(LAW_REF.sub(" ", sp.text))
                    if len(context & theirs) < self.thresholds.suspect_law_overlap * len(context):
                        continue  # another rule of the same law
                    for _, rf in refs:
                        (same if rf == ref else others.setdefault(rf, set())).add(p.doc_id)
            best = max(others.items(), key=lambda kv: len(kv[1]), default=None)
            if best and not same:
                where = doc.metadata.district or "källan"
                return Flag(
                    kind="suspect_law",
                    message=f"Troligen fel lagrum: {where}s utlåtande anger ”{ref} {law}”, men andra dokument i arkivet "
                    f"anger samma regel som ”{best[0]} {law}” ({len(best[1])} dokument). Kontrollera lagrummet.",
                    source_doc_id=doc.doc_id,
                )
        return None


def outdated_flag(doc: ParsedDocument) -> Flag:
    """Check the law reference quoted from ``doc``: the socialtjänstlag it cites has been replaced."""
    return Flag(
        kind="outdated_law",
        message=(
            f"Lagrummet anges som i {doc.metadata.district or 'källan'}s utlåtande ({doc.metadata.date or 'odaterat'}). "
            f"Socialtjänstlagen ersattes av SFS 2025:400 från {adapt.NEW_SOL_DATE}: kontrollera kapitel och paragraf."
        ),
        source_doc_id=doc.doc_id,
    )

