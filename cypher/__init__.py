"""The Cypher files ccm-graph ships: ``schema.cypher`` and the named queries in ``queries/``.

This folder is installed as the package data ``ccm_graph.cypher`` (see pyproject.toml), so
``ccm-graph query --list`` finds the library after a plain ``pip install`` too.
"""
