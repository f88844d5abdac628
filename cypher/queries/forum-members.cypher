// name: forum-members
// description: The members of a forum or coalition with their roles and dates.
// param: forum = "masg"  (a forum or coalition id)
// restricted: honoured
MATCH (a:Actor)-[m:MEMBER_OF]->(f {id: $forum})
WHERE ($include_restricted OR coalesce(a.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(m.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted')
  AND NOT EXISTS { MATCH (f)-[:FOCUSES_ON]->(st) WHERE NOT ($include_restricted OR coalesce(st.sensitivity, 'public') <> 'restricted') }
RETURN a.id AS member, a.name AS name, m.role AS role, m.since AS since, m.until AS until
ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'coordinator' THEN 0 WHEN 'lead' THEN 0
         ELSE 1 END, member
