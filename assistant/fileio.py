"""Atomic file writes: readers see the old file or the new one, never half of one.

Every file the assistant rewrites in place (parsed documents and the store manifest, keyword-index
records and manifests, archive features, evaluation reports, the users file) goes through here. The
new content is written to a temporary file in the same folder, flushed to disk, given its mode and
then renamed over the target (``os.replace``, atomic on POSIX). A failed write leaves the target as
it was and no temporary file behind.

New files are owner-only (0600) by default: most of them live under the private data directory
(:mod:`assistant.datadir`), and ``mkstemp`` creates its file 0600 whatever the umask, so the mode is
stated here rather than left to the caller's umask.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

PRIVATE = 0o600


def atomic_write_bytes(path: str | Path, data: bytes, mode: int = PRIVATE, fsync: bool = True) -> Path:
    """Replace ``path`` with ``data`` atomically (parent folders created); returns the path.

    ``fsync=False`` skips forcing the data to disk before the rename: still atomic for readers, but
    after a power cut the file may be empty. Only for data derived from elsewhere (the search index)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str, mode: int = PRIVATE, fsync: bool = True) -> Path:
    """Replace ``path`` with ``text`` (UTF-8) atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"), mode, fsync)


def atomic_write_json(path: str | Path, data: Any, mode: int = PRIVATE, fsync: bool = True, **dumps: Any) -> Path:
    """Replace ``path`` with ``data`` as JSON atomically; ``dumps`` go to :func:`json.dumps`
    (``ensure_ascii=False`` unless given)."""
    dumps.setdefault("ensure_ascii", False)
    return atomic_write_text(path, json.dumps(data, **dumps), mode, fsync)
