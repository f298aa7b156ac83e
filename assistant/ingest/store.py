"""Parsed documents on disk: one JSON file per document plus a manifest, every write atomic.

The manifest maps a source path to its doc_id and the sha256 of the bytes it was built from, so a
re-run of ingest skips unchanged files. It is a cache of what the document files already say
(each stores its ``source`` and ``content_hash``): if it is missing or unreadable it is rebuilt from
them, so a crash between the two writes can never lose a document.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path

from assistant.fileio import atomic_write_text
from assistant.models import ParsedDocument

MANIFEST = "manifest.json"


def source_key(path: str | Path) -> str:
    """The one spelling of a source path the store uses: absolute, symlinks resolved."""
    return str(Path(path).expanduser().resolve())


class DocumentStore:
    """The parsed documents under ``root`` (``<data_dir>/documents``)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._cache: dict[str, tuple[int, ParsedDocument]] = {}
        self._manifest_cache: tuple[tuple[int, int], dict[str, dict]] | None = None

    # --- reading -----------------------------------------------------------------------------
    def path_for(self, doc_id: str) -> Path:
        if not doc_id or "/" in doc_id or "\\" in doc_id or doc_id.startswith(".") or doc_id == Path(MANIFEST).stem:
            raise KeyError(f"ogiltigt dokument-id: {doc_id!r}")
        return self.root / f"{doc_id}.json"

    def get(self, doc_id: str) -> ParsedDocument | None:
        """The stored document, or None if there is none with this id."""
        try:
            path = self.path_for(doc_id)
            mtime = path.stat().st_mtime_ns
        except (KeyError, FileNotFoundError):
            return None
        cached = self._cache.get(doc_id)
        if cached and cached[0] == mtime:
            return cached[1]
        try:
            doc = ParsedDocument.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        self._cache[doc_id] = (mtime, doc)
        return doc

    def __contains__(self, doc_id: object) -> bool:
        try:
            return isinstance(doc_id, str) and self.path_for(doc_id).exists()
        except KeyError:
            return False

    def __len__(self) -> int:
        return len(self.ids())

    def ids(self) -> list[str]:
        """Ids of all stored documents, sorted."""
        return sorted(p.stem for p in self.root.glob("*.json") if p.name != MANIFEST and not p.name.startswith("."))

    def all(self) -> list[ParsedDocument]:
        """All stored documents, sorted by id."""
        docs = []
        for doc_id in self.ids():
            try:
                doc = self.get(doc_id)
            except ValueError:
                continue  # an unreadable document file is left for a person to look at, not deleted
            if doc is not None:
                docs.append(doc)
        return docs

    def by_source(self, path: str | Path) -> ParsedDocument | None:
        """The document built from this source file, if any."""
        entry = self.manifest().get(source_key(path))
        return self.get(entry["doc_id"]) if entry else None

    def entry(self, path: str | Path) -> dict | None:
        """The manifest entry (``doc_id``, ``content_hash``) of a source file, if ingested."""
        return self.manifest().get(source_key(path))

    def manifest(self) -> dict[str, dict]:
        """source path -> {"doc_id", "content_hash"}; rebuilt from the documents if damaged."""
        with self._lock:
            path = self.root / MANIFEST
            try:
                stat = path.stat()
                stamp = (stat.st_mtime_ns, stat.st_size)
                if self._manifest_cache and self._manifest_cache[0] == stamp:
                    return dict(self._manifest_cache[1])
                data = json.loads(path.read_text(encoding="utf-8"))
                sources = data["sources"]
                if isinstance(sources, dict):
                    self._manifest_cache = (stamp, sources)
                    return dict(sources)
            except FileNotFoundError:
                if not self.ids():
                    return {}
            except (ValueError, KeyError, TypeError):
                pass
            return self._rebuild_manifest()

    def doc_id_for(self, path: str | Path, content_hash: str | None = None) -> str:
        """The doc_id a source file has or will get: its stem, with a short hash if the stem is taken.

        A stem held by a source that no longer exists is taken over when the bytes are the same
        (``content_hash``): a moved folder (the bundled knowledge in a new checkout, an archive on a
        new drive) keeps its ids instead of getting duplicates, while a different file that merely
        has the same name (two uploads called "svar.docx") never replaces the stored one.
        """
        key = source_key(path)
        manifest = self.manifest()
        if key in manifest:
            return manifest[key]["doc_id"]
        base = safe_id(Path(key).stem)
        holders = [(k, e) for k, e in manifest.items() if e["doc_id"] == base]
        if not holders and base not in self:
            return base
        moved = holders and all(e["content_hash"] == content_hash and not Path(k).exists() for k, e in holders)
        if content_hash and moved:
            return base
        return f"{base}_{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"

    # --- writing -----------------------------------------------------------------------------
    def put(self, doc: ParsedDocument) -> None:
        """Store a document (replacing any with the same id) and record it in the manifest."""
        with self._lock:
            path = self.path_for(doc.doc_id)
            atomic_write_text(path, doc.model_dump_json(indent=1))
            self._cache.pop(doc.doc_id, None)
            manifest = self.manifest()
            key = source_key(doc.source)
            for k in [k for k, e in manifest.items() if e["doc_id"] == doc.doc_id and k != key]:
                del manifest[k]
            manifest[key] = {"doc_id": doc.doc_id, "content_hash": doc.content_hash}
            self._write_manifest(manifest)

    def delete(self, doc_id: str) -> bool:
        """Remove a document and its manifest entry; False if it was not stored."""
        with self._lock:
            try:
                path = self.path_for(doc_id)
            except KeyError:
                return False
            manifest = self.manifest()
            stale = [k for k, e in manifest.items() if e["doc_id"] == doc_id]
            for k in stale:
                del manifest[k]
            if stale:
                self._write_manifest(manifest)
            self._cache.pop(doc_id, None)
            try:
                path.unlink()
            except FileNotFoundError:
                return bool(stale)
            return True

    # --- internals ---------------------------------------------------------------------------
    def _write_manifest(self, sources: dict[str, dict]) -> None:
        atomic_write_text(
            self.root / MANIFEST,
            json.dumps({"version": 1, "sources": dict(sorted(sources.items()))}, ensure_ascii=False, indent=1),
        )

    def _rebuild_manifest(self) -> dict[str, dict]:
        sources = {
            source_key(doc.source): {"doc_id": doc.doc_id, "content_hash": doc.content_hash} for doc in self.all()
        }
        self._write_manifest(sources)
        return sources


def safe_id(stem: str) -> str:
    """A doc_id from a file stem: letters (å, ä, ö included), digits, ``_``, ``-`` and ``.`` only."""
    cleaned = re.sub(r"[^\w.-]+", "_", stem, flags=re.UNICODE).strip("._") or "dokument"
    return cleaned[:120]
