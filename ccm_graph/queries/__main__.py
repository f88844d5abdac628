"""``python -m ccm_graph.queries``: print ``cypher/schema.cypher``."""

from . import schema_text

print(schema_text(), end="")
