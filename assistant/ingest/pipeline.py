"""The ingest pipeline: read → redact → repair OCR damage → redact → parse, then index and store.

A batch never stops for one bad file: each failure becomes an ``(path, reason)`` entry in the
report. Writes are ordered so a failure leaves no half-ingested document: the new version is indexed
first and stored last; if indexing or storing fails, the index is put back to the stored version
(or the document removed from it), so the store and the index always describe the same documents.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from assistant.errors import IndexMismatchError, IngestError
from assistant.ingest.readers import decode_document, join_pages, load_bytes, supported_format
from assistant.ingest.redact import redact
from assistant.ingest.store import DocumentStore, safe_id, source_key
from assistant.models import DocumentMetadata, IngestReport, ParsedDocument
from assistant.settings import Settings

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int, str], None]

# Files inside a folder that are data about the documents, not documents.
_NOT_DOCUMENTS = {"records.json", "manifest.json", "readme.md", "readme.txt", "readme", "license", "license.txt"}


class Indexer(Protocol):
    """What the pipeline needs from :class:`assistant.index.indexer.SearchIndex`."""

    def index_document(self, doc: ParsedDocument) -> object: ...
    def remove_document(self, doc_id: str) -> object: ...
    def has_document(self, doc_id: str) -> bool: ...


def max_bytes(settings: Settings) -> int:
    return int(settings.ingest.max_file_mb * 1024 * 1024)


# ---------------------------------------------------------------------------------------------
# one file
# ---------------------------------------------------------------------------------------------
def process_file(path: str | Path, settings: Settings, doc_id: str | None = None) -> ParsedDocument:
    """Read, repair, redact and parse one file; nothing is stored. Raises :class:`IngestError`."""
    path = Path(path)
    data = load_bytes(path, max_bytes(settings))
    return build_document(data, path, doc_id or safe_id(path.stem))


def build_document(data: bytes, path: Path, doc_id: str) -> ParsedDocument:
    """A :class:`ParsedDocument` from a file's bytes.

    Pages are redacted and repaired one by one so the page offsets stay exact. Redaction runs before
    repair (the repairer never sees a personnummer it could mangle) and again after it, so nothing
    the repair turned into a valid number is stored.
    """
    from assistant.ingest.ocr import needs_repair, repair
    from assistant.ingest.parser import parse

    raw = decode_document(data, path)
    starts = raw.page_starts or [0]
    # join_pages put one "\n" before each later page; cut it off so rejoining reproduces the text.
    bounds = [s - 1 for s in starts[1:]] + [len(raw.text)]
    pages = [raw.text[s:e] for s, e in zip(starts, bounds, strict=True)]

    redactions = 0
    redacted: list[str] = []
    for page in pages:
        page, n = redact(page)
        redactions += n
        redacted.append(page)

    repairs = 0
    damaged = needs_repair("".join(redacted))  # decided on the whole text: one page is too little
    if damaged:
        repaired: list[str] = []
        for page in redacted:
            result = repair(page, force=True)
            repairs += result.repairs
            page, n = redact(result.text)
            redactions += n
            repaired.append(page)
        redacted = repaired

    text, page_starts = join_pages(redacted)
    metadata, sections = parse(text, source=str(path))
    _apply_provenance(metadata, path)
    return ParsedDocument(
        doc_id=doc_id,
        source=source_key(path),
        content_hash=hashlib.sha256(data).hexdigest(),
        metadata=metadata,
        sections=sections,
        text=text,
        page_starts=page_starts if raw.page_starts else None,
        repairs=repairs,
        redactions=redactions,
        ocr_damaged=damaged,
    )


def _apply_provenance(metadata: DocumentMetadata, path: Path) -> None:
    """Mark bundled real public records (and bundled synthetic ones) from ``records.json``."""
    from assistant.registry import provenance

    record = provenance(path)
    if not record:
        return
    metadata.real_public_record = bool(record.get("real_public_record", not record.get("synthetic", False)))
    metadata.synthetic = bool(record.get("synthetic", False))


# ---------------------------------------------------------------------------------------------
# a batch
# ---------------------------------------------------------------------------------------------
def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]], list[Path]]:
    """Expand the given paths into files to ingest.

    Folders are walked recursively in sorted order, taking only supported document files and
    skipping hidden ones; a file named explicitly is always taken, so an unsupported one is
    reported rather than silently ignored. Returns (files, failures, folders).
    """
    files: list[Path] = []
    failed: list[tuple[str, str]] = []
    folders: list[Path] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = source_key(p)
        if key not in seen:
            seen.add(key)
            files.append(p)

    for given in paths:
        p = Path(given)
        if p.is_dir():
            folders.append(p)
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                # hidden files, and the "~$name.docx" lock files Word leaves next to open documents
                if any(part.startswith((".", "~")) for part in rel) or not f.is_file():
                    continue
                if f.name.lower() in _NOT_DOCUMENTS or supported_format(f) is None:
                    continue
                add(f)
        elif p.exists() or p.is_symlink():
            add(p)
        else:
            failed.append((str(p), "filen eller mappen finns inte"))
    return files, failed, folders


def ingest_paths(
    paths: Iterable[str | Path],
    settings: Settings,
    store: DocumentStore,
    indexer: Indexer | None = None,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Ingest files and folders into ``store`` (and ``indexer``); idempotent by content hash.

    Unchanged files are skipped (unless the index lacks them), changed ones replace their old
    version, documents whose source file was deleted from an ingested folder are removed, and
    every per-file failure is reported without stopping the batch.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    report = IngestReport()
    files, missing, folders = collect_files(paths)
    report.failed.extend(missing)

    for doc_id in _vanished(store, folders):
        _remove(doc_id, store, indexer)
        report.removed.append(doc_id)

    total = len(files)
    for done, path in enumerate(files):
        if progress:
            progress(done, total, path.name)
        try:
            status, doc_id = ingest_file(path, settings, store, indexer)
        except IngestError as exc:
            report.failed.append((exc.path, " ".join(exc.reason.split())))
            continue
        except IndexMismatchError:
            raise  # the whole index is unusable with this model: not one file's problem
        except Exception as exc:  # noqa: BLE001 - a batch reports every failure and carries on
            log.debug("ingest of %s failed", path, exc_info=True)  # the report carries the reason
            report.failed.append((str(path), f"oväntat fel: {type(exc).__name__}: {_one_line(exc)}"))
            continue
        if status == "duplicates":
            report.duplicates.append((str(path), doc_id))
        else:
            getattr(report, status).append(doc_id)
    if indexer is not None and (report.added or report.replaced or report.removed) and hasattr(indexer, "archive_features"):
        # Archive-wide features (inquiry groups) now, at ingest, rather than at the first draft.
        indexer.archive_features(store).inquiry_groups()
    if progress:
        progress(total, total, "")
    return report


def ingest_file(
    path: Path, settings: Settings, store: DocumentStore, indexer: Indexer | None = None
) -> tuple[str, str]:
    """Ingest one file. Returns (``"added"`` | ``"replaced"`` | ``"unchanged"``, doc_id), or
    (``"duplicates"``, id of the stored document) for a copy of a file already ingested."""
    data = load_bytes(path, max_bytes(settings))
    content_hash = hashlib.sha256(data).hexdigest()
    doc_id = store.doc_id_for(path, content_hash)
    entry = store.entry(path)
    old = _stored(store, doc_id)
    indexed = indexer is None or indexer.has_document(doc_id)
    if entry and old is not None and entry["content_hash"] == content_hash and indexed:
        return "unchanged", doc_id
    twin = _twin(store, path, content_hash)
    if twin is not None:
        # A copy would show up as a second precedent and leak past leave-one-out evaluation.
        return "duplicates", twin

    doc = build_document(data, path, doc_id)
    previous = old if indexed else None  # what the index held before, to put back on failure
    if indexer is not None:
        try:
            indexer.index_document(doc)
        except IndexMismatchError:
            raise
        except Exception as exc:
            reason = f"sökindexet kunde inte uppdateras: {_one_line(exc)}"
            raise IngestError(path, reason + _restore_index(indexer, previous, doc_id)) from exc
    try:
        store.put(doc)
    except Exception as exc:
        note = _restore_index(indexer, previous, doc_id) if indexer is not None else ""
        raise IngestError(path, f"dokumentet kunde inte sparas: {_one_line(exc)}{note}") from exc
    # A document re-indexed because the index lacked it counts as added (to the index).
    return ("replaced" if old is not None and indexed else "added"), doc_id


def _twin(store: DocumentStore, path: Path, content_hash: str) -> str | None:
    """The doc_id of another, still existing source file with exactly these bytes."""
    key = source_key(path)
    for source, entry in store.manifest().items():
        if entry["content_hash"] == content_hash and source != key and Path(source).exists():
            return entry["doc_id"]
    return None


def _stored(store: DocumentStore, doc_id: str) -> ParsedDocument | None:
    try:
        return store.get(doc_id)
    except ValueError:  # an unreadable JSON file is rewritten from the source
        return None


def _restore_index(indexer: Indexer, previous: ParsedDocument | None, doc_id: str) -> str:
    """Put the index back as it was before a failed write, so it matches the store.

    Returns "" when that worked, else a note for the failure reason: the user must know that
    the index and the archive now disagree about this document.
    """
    try:
        # Remove first: the failed write may have left part of the new version behind, and
        # index_document skips a document whose catalogue entry already looks up to date.
        indexer.remove_document(doc_id)
        if previous is not None:
            indexer.index_document(previous)
        return ""
    except Exception as exc:  # noqa: BLE001 - reported with the original failure
        log.debug("could not restore the index for %s", doc_id, exc_info=True)
        return f" (och sökindexet kunde inte återställas: {_one_line(exc)}; ta bort {doc_id} och läs in filen igen)"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def _vanished(store: DocumentStore, folders: list[Path]) -> list[str]:
    """Stored documents whose source lay in one of ``folders`` and no longer exists."""
    roots = [source_key(f) for f in folders]
    gone = []
    for source, entry in store.manifest().items():
        if any(source.startswith(root.rstrip("/") + "/") for root in roots) and not Path(source).exists():
            gone.append(entry["doc_id"])
    return gone


def _remove(doc_id: str, store: DocumentStore, indexer: Indexer | None) -> None:
    if indexer is not None:
        indexer.remove_document(doc_id)
    store.delete(doc_id)
