"""Is a precedent sentence one district's local fact or the city's? The classification for one draft.

:func:`assistant.draft.adapt.classify` decides from a sentence's own words; the drafter adds what
only the draft knows: the names the precedent's document introduces as local (its groups, teams,
schools), the names the archive shares across districts (the city's), whether another district's
answer among this draft's precedents says the same thing (then a statement of practice is the
city's), and which figures two districts' answers give alike (then a city body's figure is the
body's). :class:`Classifier` holds those per-document caches and the draft's context, so the
answer paragraphs, the common ground and the child impact analysis classify alike.
"""

from __future__ import annotations

from dataclasses import replace

from assistant import registry
from assistant.draft import adapt, districts
from assistant.draft.learned_localness import local_probability
from assistant.draft.quotable import Candidate
from assistant.draft.sections import answer_sections
from assistant.models import ParsedDocument
from assistant.settings import DraftingSettings
from assistant.text import Span, mutual_overlap, sentences, stems


class Classifier:
    """Local or city-wide, for a drafter's drafts; ``assistant`` gives ``.index``, ``.store``.

    ``context`` is every answer that answers some point of the current draft (set by
    :meth:`PrecedentDrafter.use_context` before composing): what a sentence is corroborated against."""

    def __init__(self, assistant, thresholds: DraftingSettings) -> None:
        self.assistant = assistant
        self.thresholds = thresholds
        self.context: list[ParsedDocument] = []
        self.subject: frozenset[str] = frozenset()
        """The inquiry's words (lower-case): what it asks about is everyone's subject, not one
        district's unit, however a precedent introduced it ("en fixartjänst" → "fixartjänsten")."""
        self._entities: dict[tuple[str, frozenset[str]], frozenset[str]] = {}
        self._own_names: dict[tuple[str, frozenset[str]], frozenset[str]] = {}
        self._stems: dict[str, list[set[str]]] = {}
        self._figures: tuple[tuple[str, ...] | None, frozenset[str]] = (None, frozenset())
        self._names: tuple[tuple[tuple[str, ...], frozenset[str]] | None, frozenset[str]] = (None, frozenset())

    def classify(self, c: Candidate) -> adapt.Classification:
        """Local (with the reason) or city-wide; a local statement of practice is judged again as
        corroborated when another district's answer says the same (:meth:`corroborated`).

        City-wide only when shown so: a sentence that passes every local rule is still one district's
        word until it ties itself to the city (``adapt.speaks_of_the_city``), names what several
        districts name (``shared_names``) or another district's answer says the same. The rules catch
        the local phrasings seen so far; this catches the ones not yet seen, at the cost of asking
        the officer to confirm some general statements (measured in ``eval/README.md``). What is left
        city-wide is read once more by a learned model (:meth:`learned_local`), which can only flag."""
        args = (c.span.text, c.doc.metadata.district, self.local_entities(c.doc), self.shared_names())
        given = {"thresholds": self.thresholds, "shared_figures": self.shared_figures(), "own_names": self.own_names(c.doc)}
        verdict = adapt.classify(*args, **given)
        if verdict.local and verdict.reason.startswith(adapt.PRACTICE_REASON) and self.corroborated(c):
            verdict = adapt.classify(*args, corroborated=True, **given)
        if not verdict.local and not self.shown_city_wide(c):
            verdict = adapt.Classification(True, adapt.UNSHOWN_REASON)
        if not verdict.local and self.learned_local(c.span.text) >= self.thresholds.learned_local_min:
            verdict = adapt.Classification(True, adapt.LEARNED_REASON)
        return verdict

    def learned_local(self, text: str) -> float:
        """The learned second opinion (:mod:`assistant.draft.learned_localness`): the probability that
        ``text`` states one district's own fact. It only ever adds a flag, to what the rules read as the
        city's: their phrasings are the ones seen so far, its n-grams carry the genre's marks of a local
        statement in words no rule has. No opinion (0) on fewer than four content stems: a heading or a
        fragment gives it too little to read and scores on the intercept alone ("Ärendet" 0.92)."""
        if self.thresholds.learned_local_min > 1 or len(stems(text)) < 4:
            return 0.0
        return local_probability(text)

    def split(self, c: Candidate) -> tuple[Candidate, Candidate, adapt.Classification] | None:
        """A local sentence that opens on a city-wide main clause naming the city's rule, as that
        clause (to state as the city's) and the rest (to confirm, with its own verdict):
        "Stadsdelsnämnderna får investeringsmedel för parker genom stadens investeringsbudget, och
        nämndens ram för 2022 är 3,9 miljoner kronor". None unless the first clause is city-wide on
        its own and the rest local on its own; then the whole sentence is confirmed, as before."""
        cut = adapt.first_main_clause(c.span.text)
        if cut is None:
            return None
        text, start = c.span.text, c.span.start
        head = replace(c, span=Span(start, start + cut[0], text[: cut[0]]), head=True)
        tail = replace(c, span=Span(start + cut[1], c.span.end, text[cut[1] :]))
        # The clause must name the city's rule itself (a law, a city body or document): a shared name
        # alone ("Svenska Bostäder har därefter satt upp …") leaves a local deed without its context.
        if len(stems(head.span.text)) < 4 or len(stems(tail.span.text)) < 3 or not adapt.speaks_of_the_city(head.span.text) or self.classify(head).local:
            return None
        verdict = self.classify(tail)
        return (head, tail, verdict) if verdict.local else None

    def shown_city_wide(self, c: Candidate) -> bool:
        """Does the sentence or the archive show it is the city's: it speaks of the city, names what
        several districts name, or another district's answer in the context says the same."""
        text = c.span.text
        return adapt.speaks_of_the_city(text) or bool(adapt.names_in(text) & self.shared_names()) or self.corroborated(c)

    def own_names(self, doc: ParsedDocument) -> frozenset[str]:
        """The names ``doc`` writes inside its sentences that no other district shares
        (``adapt.own_names``): its units, places and partners, recognised opening a sentence too.
        Once per document and set of shared names."""
        return self._per_document(self._own_names, doc, lambda shared: adapt.own_names(doc.text, shared, self.thresholds.proper_noun_zipf))

    def _per_document(self, cache: dict, doc: ParsedDocument, compute) -> frozenset[str]:
        """``compute(shared_names)`` for ``doc``, once per document and set of shared names (they
        depend on the draft's context); the cache is bounded in a long-running app."""
        shared = self.shared_names()
        key = (doc.doc_id, shared)
        if key not in cache:
            if len(cache) > 4096:
                cache.clear()
            cache[key] = compute(shared)
        return cache[key]

    def shared_figures(self) -> frozenset[str]:
        """Figures with what they count (``adapt.figure_units``) that the answers of two districts or
        more in the draft's context give: the same amount in two districts' words is a city body's figure, not a count of
        one förvaltning's own (see ``adapt.classify``). Computed once per context."""
        key = tuple(d.doc_id for d in self.context)
        if self._figures[0] != key:
            seen: dict[str, set[str]] = {}
            for doc in self.context:
                district = registry.current_district(doc.metadata.district) or doc.doc_id
                for sec in answer_sections(doc):
                    for sp in sentences(doc.text, sec.body_start, sec.end):
                        for figure in adapt.figure_units(sp.text):
                            seen.setdefault(figure, set()).add(district)
            self._figures = (key, frozenset(f for f, ds in seen.items() if len(ds) >= 2))
        return self._figures[1]

    def corroborated(self, c: Candidate) -> bool:
        """Does another district's answer among this draft's precedents say the same thing? Then a
        statement of what a förvaltning does is the city's practice, not one district's own. Same
        thing: each sentence holds at least ``corroboration_overlap`` of the other's content stems."""
        mine = stems(c.span.text)
        if len(mine) < 4:
            return False
        for doc in self.context:
            if doc.doc_id == c.doc.doc_id or districts.same(doc.metadata.district, c.doc.metadata.district):
                continue
            if any(mutual_overlap(mine, theirs) >= self.thresholds.corroboration_overlap for theirs in self.answer_stems(doc)):
                return True
        return False

    def local_entities(self, doc: ParsedDocument) -> frozenset[str]:
        """What ``doc`` introduces as local (its groups, teams, schools), computed once per document
        and set of shared names (they depend on the draft's context); not what the inquiry names
        (``subject``)."""

        def compute(shared: frozenset[str]) -> frozenset[str]:
            local = [sp.text for sp in sentences(doc.text) if adapt.classify(sp.text, doc.metadata.district, shared_names=shared, thresholds=self.thresholds).local]
            return adapt.local_entities(local, self.thresholds)

        return self._per_document(self._entities, doc, compute) - self.subject

    def answer_stems(self, doc: ParsedDocument) -> list[set[str]]:
        """The content stems of each answering sentence of ``doc`` (four or more), once per document."""
        cache = self._stems
        if doc.doc_id not in cache:
            cache[doc.doc_id] = [st for sec in answer_sections(doc) for sp in sentences(doc.text, sec.body_start, sec.end) if len(st := stems(sp.text)) >= 4]
        return cache[doc.doc_id]

    def shared_names(self) -> frozenset[str]:
        """Names (acronyms, quoted and capitalised words) that are the city's (a city programme, a
        joint group type), not one district's own: those the archive shares (kept with the index,
        computed at ingest, so a draft never reads the whole archive; see
        ``ArchiveFeatures.shared_names``), and those two districts' answers in this draft's context,
        the answers on its subject, both use. Computed once per context."""
        archive = self.assistant.index.archive_features(self.assistant.store).shared_names()
        key = (tuple(d.doc_id for d in self.context), archive)
        if self._names[0] != key:
            seen: dict[str, set[str]] = {}
            for doc in self.context:
                district = registry.current_district(doc.metadata.district) or doc.doc_id
                for name in adapt.names_in(doc.text):
                    seen.setdefault(name, set()).add(district)
            # One set per context, not a new union per classified sentence (the hot path).
            self._names = (key, archive | frozenset(n for n, ds in seen.items() if len(ds) >= 2))
        return self._names[1]
