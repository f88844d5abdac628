// name: apmbc-committee-outside-ccm
// description: Members of the APMBC Committee on the Enhancement of Cooperation and Assistance with no recorded CCM cooperation (no CCM forum, work-plan activity, coalition, SUPPORTS or CCM funding).
// param: apmbc_committee_forum = "apmbc-committee-ca"  (the committee's forum id; default: the one named in the data's metadata.json)
// param: ccm_prefix = "ccm-"  (CCM forums' ids start with it; default: the data's metadata.json)
// restricted: honoured
MATCH (a:Actor)-[m:MEMBER_OF]->(forum:Forum {id: $apmbc_committee_forum})
WHERE ($include_restricted OR coalesce(a.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(m.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(forum.sensitivity, 'public') <> 'restricted')
  AND NOT EXISTS { MATCH (a)-[r:MEMBER_OF]->(f) WHERE (f.id STARTS WITH $ccm_prefix OR f:Coalition)
                   AND ($include_restricted OR coalesce(r.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted') }
  AND NOT EXISTS { MATCH (a)-[r:PARTICIPATES_IN|SUPPORTS]->(x) WHERE ($include_restricted OR coalesce(r.sensitivity, 'public') <> 'restricted')
                   AND NOT EXISTS { MATCH (x)<-[:HAS_OBLIGATION]-(st) WHERE NOT ($include_restricted OR coalesce(st.sensitivity, 'public') <> 'restricted') } }
  AND NOT EXISTS { MATCH (a)-[f:FUNDS]->(t) WHERE f.convention IN ['CCM', 'both']
                   AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(t.sensitivity, 'public') <> 'restricted') }
RETURN a.id AS actor, a.name AS name, m.role AS role
ORDER BY actor
