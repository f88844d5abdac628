// name: obligations-due-before
// description: Open Article 3 and 4 obligations whose deadline falls before a date, soonest first.
// param: before = "2026-09-14"  (a date, YYYY-MM-DD)
// restricted: honoured
MATCH (s:State)-[:HAS_OBLIGATION]->(o:Obligation)
WHERE o.article IN [3, 4] AND o.status IN ['open', 'extended'] AND o.deadline < toString($before)
  AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
RETURN s.id AS state, s.name AS name, o.article AS article, o.deadline AS deadline,
       o.status AS status, coalesce(o.extensions, 0) AS extensions
ORDER BY deadline, state
