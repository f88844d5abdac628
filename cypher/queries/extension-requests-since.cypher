// name: extension-requests-since
// description: Obligations whose latest extension request is on or after a date, with the deadline now in force.
// param: since = "2024"  (a year or date, YYYY or YYYY-MM-DD)
// restricted: honoured
MATCH (s:State)-[:HAS_OBLIGATION]->(o:Obligation)
WHERE o.extension_requested IS NOT NULL AND o.extension_requested >= toString($since)
  AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
RETURN s.id AS state, s.name AS name, o.article AS article,
       o.extension_requested AS requested, o.deadline AS deadline, o.status AS status,
       coalesce(o.extensions, 0) AS extensions
ORDER BY requested DESC, state
