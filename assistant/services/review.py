"""Review, users and permissions as the front ends see them.

The review store decides who may see and do what (``docs/security.md``); the UI and CLI reach it,
the users file and the permission check only through this module (the import contract in
``pyproject.toml``).
"""

from __future__ import annotations

from assistant.review.auth import LOCAL_USER, ROLE_DESCRIPTIONS, ROLES, PermissionDenied, User, UserStore, require
from assistant.review.db import STATUSES, NeedsConfirmation, ReviewError, ReviewStore, open_items

__all__ = [
    "LOCAL_USER",
    "ROLES",
    "ROLE_DESCRIPTIONS",
    "STATUSES",
    "NeedsConfirmation",
    "PermissionDenied",
    "ReviewError",
    "ReviewStore",
    "User",
    "UserStore",
    "open_items",
    "require",
]
