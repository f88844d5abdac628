// name: affected-states-without-coalition
// description: States Parties with an open Article 3 or 4 obligation and no proposed, forming or active coalition, most urgent deadline first.
// param: (none)
MATCH (s:State {ccm_status: 'state_party'})-[:HAS_OBLIGATION]->(o:Obligation)
WHERE o.article IN [3, 4] AND o.status IN ['open', 'extended']
  AND NOT EXISTS {
    MATCH (c:Coalition)-[:FOCUSES_ON]->(s) WHERE c.status IN ['proposed', 'forming', 'active']
  }
RETURN s.id AS state, s.name AS name, min(o.deadline) AS next_deadline,
       max(coalesce(o.extensions, 0)) AS extensions
ORDER BY next_deadline, state
