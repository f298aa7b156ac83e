"""Archive-wide features, computed when a document is indexed and kept on disk.

Some of what the drafter needs depends on the whole archive, not on one document: which names
several districts use (a name every district uses is the city's, not one district's own), which
documents answer the same inquiry, and which of a district's own earlier answers an inquiry refers
to. Computing them from the documents at draft time made the first draft after a restart take as
long as reading and comparing every document. Here each document's share is computed once, when it
is indexed, and written to ``index/features/<doc_id>.json``; the archive-wide values are derived
from those small records, cached per archive version, and the inquiry groups are written to
``index/features/groups.json`` so a restart reads them instead of recomputing them.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np

from assistant import registry
from assistant.fileio import atomic_write_text
from assistant.models import ParsedDocument
from assistant.settings import RetrievalSettings, get_settings

FEATURES_VERSION = 2
"""Bump when what a feature record holds changes: records of another version are recomputed."""


class ArchiveFeatures:
    """Per-document feature records and the archive-wide values derived from them."""

    def __init__(self, directory: Path, embeddings: Any | None = None, thresholds: RetrievalSettings | None = None) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.embeddings = embeddings
        self.thresholds = thresholds
        """The retrieval settings the inquiry groups are computed with (None: the process-wide ones)."""
        self._records: dict[str, dict] | None = None
        self._derived: dict[str, Any] = {}
        self._lock = threading.RLock()

    # --- per document ------------------------------------------------------------------------
    @staticmethod
    def record_for(doc: ParsedDocument) -> dict:
        """What one document contributes: its metadata for look-ups, the names it uses and the
        district-neutral text of the inquiry it is about."""
        from assistant.draft import adapt, districts
        from assistant.retrieve.same_inquiry import inquiry_text
        from assistant.text import neutralise_districts

        m = doc.metadata
        return {
            "version": FEATURES_VERSION,
            "doc_id": doc.doc_id,
            "content_hash": doc.content_hash,
            "district": districts.canonical(m.district) if m.district else None,
            "kind": m.kind,
            "date": m.date,
            "diarienummer": m.diarienummer,
            "names": sorted(adapt.names_in(doc.text)),
            "inquiry_text": neutralise_districts(inquiry_text(doc)),
            "vector": None,
        }

    def add(self, doc: ParsedDocument) -> None:
        record = self.record_for(doc)
        with self._lock:
            old = self._load().get(doc.doc_id)
            if old and old.get("inquiry_text") == record["inquiry_text"]:
                record["vector"] = old.get("vector")  # the inquiry text's vector stays valid
            self._write(record)

    def remove(self, doc_id: str) -> None:
        with self._lock:
            if self._load().pop(doc_id, None) is not None:
                self._path(doc_id).unlink(missing_ok=True)
                self._derived.clear()

    def ensure(self, store: Any, doc_ids: list[str]) -> None:
        """Compute the records an older index lacks (indexed before features existed), once."""
        with self._lock:
            records = self._load()
            for doc_id in doc_ids:
                if doc_id not in records:
                    doc = store.get(doc_id)
                    if doc is not None:
                        self._write(self.record_for(doc))
            indexed = set(doc_ids)
            for doc_id in [d for d in records if d not in indexed]:
                self.remove(doc_id)

    def records(self) -> dict[str, dict]:
        with self._lock:
            return dict(self._load())

    # --- archive-wide --------------------------------------------------------------------------
    def shared_names(self) -> frozenset[str]:
        """Names (lower-case) that are the city's: used by two districts answering the same inquiry
        (a scheme, group type or acronym of that subject), or by three districts anywhere. Two
        neighbours naming the same shore or park in answers on different subjects ("Mälarstranden" in
        one's budget answer and the other's answer on bathing places) does not make it the city's."""
        with self._lock:
            if "shared_names" not in self._derived:
                groups = self.inquiry_groups()
                anywhere: dict[str, set[str]] = {}
                in_group: dict[tuple[str, str], set[str]] = {}
                for doc_id, r in self._load().items():
                    if r["district"]:
                        # A former district and its successor are one district: three answers from
                        # Rinkeby-Kista, Spånga-Tensta and Järva naming "Tensta" do not make it the city's.
                        district = registry.current_district(r["district"]) or r["district"]
                        group = groups.get(doc_id)
                        for name in r["names"]:
                            anywhere.setdefault(name, set()).add(district)
                            if group is not None:
                                in_group.setdefault((group, name), set()).add(district)
                shared = {n for n, ds in anywhere.items() if len(ds) >= 3} | {n for (_, n), ds in in_group.items() if len(ds) >= 2}
                self._derived["shared_names"] = frozenset(shared)
            return self._derived["shared_names"]

    def inquiry_groups(self) -> dict[str, str]:
        """doc_id → group id of documents about the same inquiry (see ``retrieve.same_inquiry``)."""
        with self._lock:
            if "groups" in self._derived:
                return self._derived["groups"]
            records = self._load()
            lines = [f"{d}:{r['content_hash']}" for d, r in sorted(records.items())]
            if self._thresholds() != RetrievalSettings():
                # Groups computed with other same-inquiry settings are not these (the defaults are
                # left out of the key, so groups cached before the settings existed stay valid).
                lines.append(self._thresholds().model_dump_json())
            key = hashlib.sha256("\n".join(lines).encode()).hexdigest()
            saved = self._read_groups()
            if saved and saved.get("key") == key:
                groups = saved["groups"]
            else:
                groups = self._compute_groups(records)
                atomic_write_text(self.directory / "groups.json", json.dumps({"key": key, "groups": groups}), fsync=False)
            self._derived["groups"] = groups
            return groups

    def _thresholds(self) -> RetrievalSettings:
        return self.thresholds if self.thresholds is not None else get_settings().retrieval

    def _compute_groups(self, records: dict[str, dict]) -> dict[str, str]:
        from assistant.retrieve.same_inquiry import group_texts

        ids = sorted(records)

        def vectors(needed: list[str]) -> dict[str, np.ndarray]:
            todo = [d for d in needed if records[d].get("vector") is None]
            if todo and self.embeddings is not None:
                fresh = np.asarray(self.embeddings.embed_passages([records[d]["inquiry_text"] for d in todo]), dtype=np.float32)
                fresh = fresh / np.maximum(np.linalg.norm(fresh, axis=1, keepdims=True), 1e-12)
                for d, v in zip(todo, fresh):
                    records[d]["vector"] = [round(float(x), 6) for x in v]
                    self._write(records[d])
            return {d: np.asarray(records[d]["vector"], dtype=np.float32) for d in needed if records[d].get("vector") is not None}

        return group_texts(ids, [records[d]["inquiry_text"] for d in ids], vectors if self.embeddings is not None else None, self._thresholds())

    # --- storage -----------------------------------------------------------------------------
    def _path(self, doc_id: str) -> Path:
        safe = re.sub(r"[^\w.-]", "_", doc_id)
        return self.directory / f"{safe}.json"

    def _load(self) -> dict[str, dict]:
        if self._records is None:
            records: dict[str, dict] = {}
            for path in sorted(self.directory.glob("*.json")):
                if path.name == "groups.json":
                    continue
                try:
                    r = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue  # recomputed by ensure()
                if r.get("version") == FEATURES_VERSION:
                    records[r["doc_id"]] = r
            self._records = records
        return self._records

    def _write(self, record: dict) -> None:
        atomic_write_text(self._path(record["doc_id"]), json.dumps(record, ensure_ascii=False), fsync=False)
        self._load()[record["doc_id"]] = record
        self._derived.clear()

    def _read_groups(self) -> dict | None:
        try:
            return json.loads((self.directory / "groups.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
