"""Per-form tokens: every form that writes carries one, made for that form's purpose (``edit:
obligation:ob-LAO-4``, ``upload``) with the app's secret, and a write whose token does not
verify is refused. So another site cannot make a coordinator's browser send a write (cross-site
request forgery), once accounts (#21) make that worth trying; writes are POST only."""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["FormTokens"]


class FormTokens:
    """Tokens signed with a secret made when the app starts (a restart invalidates open
    forms: they are sent again from a fresh page)."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def issue(self, purpose: str) -> str:
        """The token of a form made for ``purpose``."""
        return hmac.new(self._secret, purpose.encode("utf-8"), hashlib.sha256).hexdigest()

    def verify(self, purpose: str, token: str | None) -> bool:
        """Whether ``token`` was issued for ``purpose`` by this app."""
        return bool(token) and hmac.compare_digest(self.issue(purpose), str(token))
