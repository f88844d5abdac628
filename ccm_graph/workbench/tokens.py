"""Per-form tokens: every form that writes carries one, made for that form's purpose (``edit:
obligation:ob-LAO-4``, ``upload``) and the session it was shown in, with the app's secret; a
write whose token does not verify is refused. So another site cannot make a coordinator's
browser send a write (cross-site request forgery), and a token seen in one session is worth
nothing in another; writes are POST only."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

__all__ = ["FormTokens"]


class FormTokens:
    """Tokens signed with a secret made when the app starts (a restart invalidates open
    forms: they are sent again from a fresh page)."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def issue(self, purpose: str, session: str = "") -> str:
        """The token of a form made for ``purpose`` in ``session`` (the session's id; empty
        for a workbench without accounts, or the pre-login id on the sign-in form)."""
        message = json.dumps([session, purpose], ensure_ascii=False).encode("utf-8")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def verify(self, purpose: str, token: str | None, session: str = "") -> bool:
        """Whether ``token`` was issued for ``purpose`` in ``session`` by this app."""
        return bool(token) and hmac.compare_digest(self.issue(purpose, session), str(token))
