"""The version of ccm-graph, written in this one place.

``pyproject.toml`` reads it from here and :mod:`ccm_graph` re-exports it as
``ccm_graph.__version__``. Modules that need it (the driver's user agent) import it from this
module, not from the package, so they do not import the package that imports them.
"""

__version__ = "0.1.0"
