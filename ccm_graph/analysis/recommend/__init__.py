"""Partner recommendations by role: who could credibly join a State's Country Coalition, and why.

A coalition needs **donors** (States, regional organisations, funds), **operators** (who clear
and destroy) and **technical partners** (international bodies, and States that have finished
their own clearance or destruction: South–South cooperation). Each role has its own pool of
candidates and its own signals, the facts a desk officer checks first: who funded the State
before and stopped, who funds its region, who shares its official language, who sits in MASG,
which operators already work there. Every signal is a fact in the graph and is returned with a
plain sentence saying so; meetings and work-plan activities are never counted as ties.

Some actors are never proposed: the State itself, its national authority and its own national
operators (:func:`national_bodies`), members of its live coalitions, actors already supporting
it (a ``SUPPORTS`` in the funding window, or ``FUNDS`` under the CCM in the window), and any id
the caller excludes. An affected or recipient State is a donor candidate only if it has itself
funded others (Germany clears its own land and funds others); sharing donors or operators
with the target never makes it one.

The package, by job: :mod:`.record` (roles, weights, bands, the :class:`Recommendation`),
:mod:`.targets` (the target and its national bodies), :mod:`.facts` (what is read from the
graph once, the candidate pools), :mod:`.signals`, :mod:`.scoring`, :mod:`.reasons` (the
worded evidence) and :mod:`.recommender` (:class:`PartnerRecommender`, which ties them).

The weights (:data:`DEFAULT_WEIGHTS`), bands (:data:`BANDS`) and how well the ranking predicts
new partners on held-out years are in ``docs/analysis.md``.
"""

from .recommender import PartnerRecommender, recommend_partners
from .record import BANDS, DEFAULT_WEIGHTS, ROLES, Recommendation, ScorePart, band_of
from .targets import national_bodies, resolve_target

__all__ = [
    "BANDS",
    "DEFAULT_WEIGHTS",
    "ROLES",
    "PartnerRecommender",
    "Recommendation",
    "ScorePart",
    "band_of",
    "national_bodies",
    "recommend_partners",
    "resolve_target",
]
