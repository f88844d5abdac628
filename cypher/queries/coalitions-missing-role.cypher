// name: coalitions-missing-role
// description: Live coalitions (proposed, forming or active) with no member in a given role.
// param: role = "technical_partner"  (a MEMBER_OF role: lead, partner, donor, operator, national_authority, technical_partner, ...)
MATCH (c:Coalition)-[:FOCUSES_ON]->(s:State)
WHERE c.status IN ['proposed', 'forming', 'active']
  AND NOT EXISTS { MATCH (:Actor)-[m:MEMBER_OF]->(c) WHERE m.role = $role }
RETURN c.id AS coalition, c.name AS name, c.status AS status, s.id AS focus
ORDER BY coalition
