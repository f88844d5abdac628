// name: coalitions-missing-role
// description: Live coalitions (proposed, forming or active) with no member in a given role.
// param: role = "technical_partner"  (a MEMBER_OF role: lead, partner, donor, operator, national_authority, technical_partner, ...)
// restricted: honoured
MATCH (c:Coalition)-[:FOCUSES_ON]->(s:State)
WHERE c.status IN ['proposed', 'forming', 'active'] AND ($include_restricted OR coalesce(c.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
  AND NOT EXISTS { MATCH (a:Actor)-[m:MEMBER_OF]->(c) WHERE m.role = $role
                   AND ($include_restricted OR coalesce(a.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(m.sensitivity, 'public') <> 'restricted') }
RETURN c.id AS coalition, c.name AS name, c.status AS status, s.id AS focus
ORDER BY coalition
