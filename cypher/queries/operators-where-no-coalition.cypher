// name: operators-where-no-coalition
// description: Operators working in affected States Parties that have no proposed, forming or active coalition: people who know the ground where a coalition is missing.
// param: (none)
// restricted: honoured
MATCH (s:State {ccm_status: 'state_party'})-[:HAS_OBLIGATION]->(o:Obligation)
WHERE o.article IN [3, 4] AND o.status IN ['open', 'extended'] AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
  AND NOT EXISTS {
    MATCH (c:Coalition)-[:FOCUSES_ON]->(s) WHERE c.status IN ['proposed', 'forming', 'active']
      AND ($include_restricted OR coalesce(c.sensitivity, 'public') <> 'restricted')
  }
WITH DISTINCT s
MATCH (op:Operator)-[r:OPERATES_IN]->(s)
WHERE ($include_restricted OR coalesce(op.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(r.sensitivity, 'public') <> 'restricted')
RETURN s.id AS state, s.name AS state_name, op.id AS operator, op.name AS operator_name,
       r.since AS since
ORDER BY state, operator
