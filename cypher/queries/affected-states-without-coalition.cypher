// name: affected-states-without-coalition
// description: States Parties with an open Article 3 or 4 obligation and no proposed, forming or active coalition, most urgent deadline first; States that have not asked for international assistance (assistance_requested = not_requested on every open obligation) are left out, as in the no_coalition gap.
// param: (none)
// restricted: honoured
MATCH (s:State {ccm_status: 'state_party'})-[:HAS_OBLIGATION]->(o:Obligation)
WHERE o.article IN [3, 4] AND o.status IN ['open', 'extended']
  AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
  AND NOT EXISTS {
    MATCH (c:Coalition)-[:FOCUSES_ON]->(s) WHERE c.status IN ['proposed', 'forming', 'active']
      AND ($include_restricted OR coalesce(c.sensitivity, 'public') <> 'restricted')
  }
WITH s, min(o.deadline) AS next_deadline, max(coalesce(o.extensions, 0)) AS extensions,
     collect(coalesce(o.assistance_requested, 'unknown')) AS asked
WHERE NOT all(a IN asked WHERE a = 'not_requested')
RETURN s.id AS state, s.name AS name, next_deadline, extensions,
       CASE WHEN 'requested' IN asked THEN 'requested' ELSE 'unknown' END AS assistance_requested
ORDER BY next_deadline, state
