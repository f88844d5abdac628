// name: masg-footprint
// description: Each MASG member and the affected States Parties it funds or supports (directly, through the national authority or a coalition, or through an obligation).
// param: (none)
MATCH (m:Actor)-[:MEMBER_OF]->(:Forum {id: 'masg'})
OPTIONAL MATCH (m)-[:FUNDS]->(t)
OPTIONAL MATCH (t)-[:OPERATES_IN|FOCUSES_ON]->(via:State)
WHERE t:NationalAuthority OR t:Coalition
OPTIONAL MATCH (m)-[:SUPPORTS]->(:Obligation)<-[:HAS_OBLIGATION]-(sup:State)
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
