"""The review store's own errors: what the state of a draft allows, a draft or chat that does not
exist, an approval still to confirm. A refusal by role or ownership is
:class:`assistant.review.auth.PermissionDenied`."""

from __future__ import annotations

from assistant.errors import AssistantError


class ReviewError(AssistantError):
    """A review action that the draft's state does not allow (Swedish message for the UI)."""


class NeedsConfirmation(ReviewError):
    """Approval of a version with open placeholders or flags, not yet confirmed; names them."""

    def __init__(self, items: list[str]) -> None:
        self.items = items
        listed = "; ".join(items[:8]) + (f" … ({len(items)} totalt)" if len(items) > 8 else "")
        super().__init__(f"Utkastet har {len(items)} öppna punkter: {listed}. Bekräfta för att godkänna ändå.")
