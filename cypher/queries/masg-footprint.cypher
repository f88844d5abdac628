// name: masg-footprint
// description: Each MASG member and the affected States Parties it funds or supports (directly, through the national authority or a coalition, or through an obligation).
// param: (none)
// restricted: honoured
MATCH (m:Actor)-[mm:MEMBER_OF]->(masg:Forum {id: 'masg'})
WHERE ($include_restricted OR coalesce(m.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(mm.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(masg.sensitivity, 'public') <> 'restricted')
OPTIONAL MATCH (m)-[fr:FUNDS]->(t)
WHERE ($include_restricted OR coalesce(fr.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(t.sensitivity, 'public') <> 'restricted')
OPTIONAL MATCH (t)-[tr:OPERATES_IN|FOCUSES_ON]->(via:State)
WHERE (t:NationalAuthority OR t:Coalition) AND ($include_restricted OR coalesce(tr.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(via.sensitivity, 'public') <> 'restricted')
OPTIONAL MATCH (m)-[sr:SUPPORTS]->(:Obligation)<-[:HAS_OBLIGATION]-(sup:State)
WHERE ($include_restricted OR coalesce(sr.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(sup.sensitivity, 'public') <> 'restricted')
WITH m, [x IN collect(DISTINCT CASE WHEN t:State THEN t END) + collect(DISTINCT via)
         + collect(DISTINCT sup) WHERE x IS NOT NULL] AS reached
UNWIND (CASE WHEN size(reached) = 0 THEN [null] ELSE reached END) AS st
WITH m, st
OPTIONAL MATCH (st)-[:HAS_OBLIGATION]->(o:Obligation)
WHERE o.article IN [3, 4] AND o.status IN ['open', 'extended']
WITH m, collect(DISTINCT CASE WHEN o IS NOT NULL THEN st.id END) AS affected
RETURN m.id AS member, m.name AS name, size(affected) AS affected_states_reached,
       affected AS states
ORDER BY affected_states_reached DESC, member
