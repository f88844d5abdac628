// name: masg-footprint
// description: Each MASG member (observers and the secretariat are not members) and the affected States Parties it reaches in a window: funding to the State, its national authority, its coalition or an operator working there, or SUPPORTS of its obligations, dated from since_year to the as-of year; a role in its coalition or its own presence there on the as-of date. The same definition as the masg_member_without_ccm_support gap (members with no State reached).
// param: since_year = 2023  (first year of the window; with the default 3-year window, the as-of year minus 3)
// param: as_of = "2026-09-14"  (the as-of date, YYYY-MM-DD: the window ends in its year; memberships and presence are those in force that day)
// param: masg_forum = "masg"  (the MASG forum's id; default: the one named in the data's metadata.json)
// restricted: honoured
MATCH (m:Actor)-[mm:MEMBER_OF]->(masg:Forum {id: $masg_forum})
WHERE ($include_restricted OR coalesce(m.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(mm.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(masg.sensitivity, 'public') <> 'restricted')
WITH m, mm, toInteger($since_year) AS first, toString($as_of) AS asOf
WITH m, mm, first, asOf, toInteger(substring(asOf, 0, 4)) AS last
WHERE (mm.until IS NULL OR mm.until >= substring(asOf, 0, size(mm.until)))
  AND NOT coalesce(mm.role, 'member') IN ['observer', 'secretariat']
WITH m, first, last, asOf,
  COLLECT { MATCH (m)-[f:FUNDS]->(s:State) WHERE first <= f.year <= last
              AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted') RETURN s.id }
  + COLLECT { MATCH (m)-[f:FUNDS]->(co:Coalition)-[:FOCUSES_ON]->(s:State)
              WHERE first <= f.year <= last AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(co.sensitivity, 'public') <> 'restricted')
                AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted') RETURN s.id }
  + COLLECT { MATCH (m)-[f:FUNDS]->(a:Actor)-[r:OPERATES_IN]->(s:State)
              WHERE first <= f.year <= last AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(a.sensitivity, 'public') <> 'restricted')
                AND ($include_restricted OR coalesce(r.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
                AND (r.since IS NULL OR r.since <= substring(asOf, 0, size(r.since)))
                AND (r.until IS NULL OR r.until >= substring(asOf, 0, size(r.until)))
              RETURN s.id }
  + COLLECT { MATCH (m)-[sp:SUPPORTS]->(:Obligation)<-[:HAS_OBLIGATION]-(s:State)
              WHERE first <= sp.year <= last AND s <> m AND ($include_restricted OR coalesce(sp.sensitivity, 'public') <> 'restricted')
                AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted') RETURN s.id }
  + COLLECT { MATCH (m)-[c:MEMBER_OF]->(co:Coalition)-[:FOCUSES_ON]->(s:State)
              WHERE (c.until IS NULL OR c.until >= substring(asOf, 0, size(c.until)))
                AND ($include_restricted OR coalesce(c.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(co.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
              RETURN s.id }
  + COLLECT { MATCH (m)-[r:OPERATES_IN]->(s:State)
              WHERE NOT m:NationalAuthority AND ($include_restricted OR coalesce(r.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
                AND (r.since IS NULL OR r.since <= substring(asOf, 0, size(r.since)))
                AND (r.until IS NULL OR r.until >= substring(asOf, 0, size(r.until)))
              RETURN s.id } AS reached
WITH m, COLLECT {
  MATCH (s:State {ccm_status: 'state_party'})-[:HAS_OBLIGATION]->(o:Obligation)
  WHERE s.id IN reached AND o.article IN [3, 4] AND o.status IN ['open', 'extended']
    AND ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
  RETURN DISTINCT s.id AS state ORDER BY state
} AS states
RETURN m.id AS member, m.name AS name, m.kind AS kind, size(states) AS affected_states_reached,
       states
ORDER BY affected_states_reached DESC, member
