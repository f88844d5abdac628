// name: apmbc-committee-outside-ccm
// description: Members of the APMBC Committee on the Enhancement of Cooperation and Assistance with no recorded CCM cooperation (no CCM forum, work-plan activity, coalition, SUPPORTS or CCM funding).
// param: (none)
MATCH (a:Actor)-[m:MEMBER_OF]->(:Forum {id: 'apmbc-committee-ca'})
WHERE NOT EXISTS { MATCH (a)-[:MEMBER_OF]->(f) WHERE f.id STARTS WITH 'ccm-' OR f:Coalition }
  AND NOT EXISTS { MATCH (a)-[:PARTICIPATES_IN|SUPPORTS]->() }
  AND NOT EXISTS { MATCH (a)-[f:FUNDS]->() WHERE f.convention IN ['CCM', 'both'] }
RETURN a.id AS actor, a.name AS name, m.role AS role
ORDER BY actor
