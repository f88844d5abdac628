// name: apmbc-committee-outside-ccm
// description: Members of the APMBC Committee on the Enhancement of Cooperation and Assistance with no recorded CCM cooperation (no CCM forum, work-plan activity, coalition, SUPPORTS or CCM funding).
// param: (none)
// restricted: honoured
MATCH (a:Actor)-[m:MEMBER_OF]->(forum:Forum {id: 'apmbc-committee-ca'})
WHERE ($include_restricted OR coalesce(a.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(m.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(forum.sensitivity, 'public') <> 'restricted')
  AND NOT EXISTS { MATCH (a)-[r:MEMBER_OF]->(f) WHERE (f.id STARTS WITH 'ccm-' OR f:Coalition)
                   AND ($include_restricted OR coalesce(r.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted') }
  AND NOT EXISTS { MATCH (a)-[r:PARTICIPATES_IN|SUPPORTS]->(x) WHERE ($include_restricted OR coalesce(r.sensitivity, 'public') <> 'restricted')
                   AND NOT EXISTS { MATCH (x)<-[:HAS_OBLIGATION]-(st) WHERE NOT ($include_restricted OR coalesce(st.sensitivity, 'public') <> 'restricted') } }
  AND NOT EXISTS { MATCH (a)-[f:FUNDS]->(t) WHERE f.convention IN ['CCM', 'both']
                   AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(t.sensitivity, 'public') <> 'restricted') }
RETURN a.id AS actor, a.name AS name, m.role AS role
ORDER BY actor
