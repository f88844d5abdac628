"""The data's enum values as words for people, in the hand-out's language."""

from __future__ import annotations

from typing import Any

from .catalogs import N_, Translate

__all__ = ["WORDS", "word"]

WORDS: dict[str, str] = {
    # CCM / APMBC status
    "state_party": N_("state party"),
    "signatory": N_("signatory"),
    "non_signatory": N_("non-signatory"),
    "non_party": N_("non-party"),
    "withdrawn": N_("withdrawn"),
    # obligation status
    "open": N_("open"),
    "extended": N_("extended"),
    "completed": N_("completed"),
    # coalition status
    "proposed": N_("proposed"),
    "forming": N_("forming"),
    "active": N_("active"),
    "concluded": N_("concluded"),
    # roles
    "chair": N_("chair"),
    "vice_chair": N_("vice-chair"),
    "coordinator": N_("coordinator"),
    "president": N_("president"),
    "member": N_("member"),
    "observer": N_("observer"),
    "secretariat": N_("secretariat"),
    "lead": N_("lead"),
    "partner": N_("partner"),
    "affected_state": N_("affected State"),
    "donor": N_("donor"),
    "operator": N_("operator"),
    "national_authority": N_("national authority"),
    "technical_partner": N_("technical partner"),
    # kinds of records
    "state": N_("State"),
    "international_org": N_("international organisation"),
    "regional_org": N_("regional organisation"),
    "civil_society": N_("civil society"),
    "funder": N_("funder"),
    "forum": N_("forum"),
    "obligation": N_("obligation"),
    "coalition": N_("coalition"),
    "activity": N_("activity"),
    # support kinds
    "technical": N_("technical"),
    "material": N_("material"),
    "financial": N_("financial"),
    # gap levels
    "high": N_("high"),
    "medium": N_("medium"),
    "low": N_("low"),
    "info": N_("info"),
    # conventions and requests
    "general": N_("general"),
    "both": N_("both"),
    "requested": N_("requested"),
    "not_requested": N_("not requested"),
    "unknown": N_("unknown"),
    "granted": N_("granted"),
    "pending": N_("pending"),
    "not_recorded": N_("not recorded"),
    # how firm a figure is (the first word of its source)
    "indicative": N_("indicative"),
    "synthetic": N_("synthetic"),
    "unconfirmed": N_("unconfirmed"),
}
"""Enum value → English words (a msgid); values not listed read with ``_`` as a space."""


def word(value: Any, _: Translate) -> str:
    """An enum value for people in the hand-out's language: ``state_party`` → ``state party``
    (``État partie``…); ``not recorded`` when blank."""
    if value is None or value == "":
        return _("not recorded")
    text = str(value)
    return _(WORDS[text]) if text in WORDS else text.replace("_", " ")
