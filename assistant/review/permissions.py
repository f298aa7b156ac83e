"""Who may do what with a draft: pure rules over a user and a draft's row, no database.

The store (:class:`assistant.review.db.ReviewStore`) applies them inside every method that reads or
changes a draft and audits every refusal; these functions only answer the question. The matrix is
in ``docs/security.md``.
"""

from __future__ import annotations

import sqlite3

from assistant.review.auth import User

DRAFTING_ROLES = ("handläggare", "avdelningschef")
REVIEW_ROLES = ("avdelningschef",)

ANONYMOUS = User("(inte inloggad)", "ingen")
"""Whom a refusal is audited as when nobody is logged in."""


def is_owner(user: User, row: sqlite3.Row) -> bool:
    """The draft's owner, or an admin."""
    return user.is_admin or row["owner"] == user.name


def may_review(user: User, row: sqlite3.Row) -> bool:
    """Approve, return and comment as a reviewer: an admin, or an avdelningschef who sees the
    draft and did not write it (nobody approves their own draft)."""
    if user.is_admin:
        return True
    return user.role in REVIEW_ROLES and row["owner"] != user.name and can_view(user, row)


def can_view(user: User | None, row: sqlite3.Row) -> bool:
    """A handläggare sees own drafts; an avdelningschef all, or their district's when they have
    one (former district names count as the district); an admin all; anyone else none."""
    if user is None:
        return False
    if user.is_admin or row["owner"] == user.name and user.role in DRAFTING_ROLES:
        return True
    if user.role != "avdelningschef":
        return False
    if not user.district:
        return True
    from assistant.registry import current_district

    return current_district(row["district"]) == current_district(user.district)


def anyone(user: User, row: sqlite3.Row) -> bool:
    """No rule beyond seeing the draft (which the store checks first): for reads."""
    return True
