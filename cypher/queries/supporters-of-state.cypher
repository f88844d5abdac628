// name: supporters-of-state
// description: Who supports a State, under which convention: funding to the State, its national authority or its coalitions, and support for its obligations.
// param: state = "LAO"  (a State id)
// restricted: honoured
MATCH (s:State {id: $state})
WHERE ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
OPTIONAL MATCH (na:NationalAuthority)-[nr:OPERATES_IN]->(s)
WHERE ($include_restricted OR coalesce(na.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(nr.sensitivity, 'public') <> 'restricted')
OPTIONAL MATCH (c:Coalition)-[:FOCUSES_ON]->(s)
WHERE ($include_restricted OR coalesce(c.sensitivity, 'public') <> 'restricted')
WITH s, [x IN collect(DISTINCT na) + collect(DISTINCT c) + [s] WHERE x IS NOT NULL] AS targets
UNWIND targets AS target
MATCH (a:Actor)-[f:FUNDS]->(target)
WHERE ($include_restricted OR coalesce(a.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted')
RETURN a.id AS supporter, a.name AS name, coalesce(f.convention, 'not recorded') AS convention,
       'FUNDS' AS how, f.year AS year, f.amount_usd AS amount_usd
UNION
MATCH (s:State {id: $state})-[:HAS_OBLIGATION]->(o:Obligation)<-[sp:SUPPORTS]-(a:Actor)
WHERE ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(a.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(sp.sensitivity, 'public') <> 'restricted')
RETURN a.id AS supporter, a.name AS name, coalesce(sp.convention, 'not recorded') AS convention,
       'SUPPORTS Article ' + toString(o.article) + ' (' + sp.role + ')' AS how, sp.year AS year,
       sp.amount_usd AS amount_usd
