"""The workbench's routes, one module per page group; each route as thin as a click command."""

from __future__ import annotations

from starlette.routing import Route

from . import (
    account,
    actors,
    admin,
    changes,
    coalitions,
    downloads,
    keeping,
    maps,
    overview,
    questions,
    search,
    states,
)

__all__ = ["ROUTES"]

ROUTES: list[Route] = [
    *overview.ROUTES,
    *downloads.ROUTES,
    *states.ROUTES,
    *actors.ROUTES,
    *coalitions.ROUTES,
    *maps.ROUTES,
    *search.ROUTES,
    *keeping.ROUTES,
    *questions.ROUTES,
    *changes.ROUTES,
    *account.ROUTES,
    *admin.ROUTES,
]
"""Every page of the workbench ("keeping" holds the pages that write)."""
