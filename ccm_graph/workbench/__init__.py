"""The workbench: a local web app over the library, for coordinators (``ccm-graph serve``).

:func:`create_app` builds the Starlette application over a
:class:`~ccm_graph.source.DataSource`. Routes live in :mod:`.routes` (one module per page
group, each as thin as a click command); what a page shows is built in :mod:`.views` and
:mod:`.records` from the library's analyses, kept per data state by :mod:`.analyses`; charts
are SVG drawn on the server (:mod:`.charts`); templates are in
``ccm_graph/templates/workbench/``. No script runs in its pages; restricted records never show.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
