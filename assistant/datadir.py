"""The data directory holds drafts, inquiries and users: only its owner may read it.

:func:`make_private` sets the process umask so every file and folder created from then on is
owner-only (0600 / 0700: the index, the review database, uploads, Word files, the users file), and
tightens what an earlier version left readable by others. Called once at the start of the app and
of the CLI.
"""

from __future__ import annotations

import os
from pathlib import Path


def make_private(data_dir: Path) -> Path:
    """Create ``data_dir`` owner-only, make new files owner-only, and fix existing modes."""
    os.umask(0o077)
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    for root, dirs, files in os.walk(data_dir):
        for name in dirs:
            _tighten(Path(root, name), 0o700)
        for name in files:
            _tighten(Path(root, name), 0o600)
    return data_dir


def _tighten(path: Path, mode: int) -> None:
    try:
        if not path.is_symlink() and path.stat().st_mode & 0o077:
            path.chmod(mode)
    except OSError:
        pass  # a file that vanished meanwhile, or one we do not own: nothing to tighten
