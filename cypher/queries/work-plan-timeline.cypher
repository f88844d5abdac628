// name: work-plan-timeline
// description: Meetings, activities and outputs in date order, with who convenes them.
// param: from = "2025"  (a date or year; activities dated on or after it)
// restricted: honoured
MATCH (act:Activity)
WHERE act.date IS NULL OR act.date >= toString($from)
OPTIONAL MATCH (c:Actor)-[p:PARTICIPATES_IN {role: 'convener'}]->(act)
WHERE ($include_restricted OR coalesce(c.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(p.sensitivity, 'public') <> 'restricted')
RETURN act.id AS id, act.kind AS kind, act.date AS date, act.status AS status,
       act.title AS title, collect(c.id) AS conveners
ORDER BY date, id
