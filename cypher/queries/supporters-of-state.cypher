// name: supporters-of-state
// description: Who supports a State, under which convention: funding to the State, its national authority or its coalitions, and support for its obligations.
// param: state = "LAO"  (a State id)
MATCH (s:State {id: $state})
OPTIONAL MATCH (na:NationalAuthority)-[:OPERATES_IN]->(s)
OPTIONAL MATCH (c:Coalition)-[:FOCUSES_ON]->(s)
WITH s, [x IN collect(DISTINCT na) + collect(DISTINCT c) + [s] WHERE x IS NOT NULL] AS targets
UNWIND targets AS target
MATCH (a:Actor)-[f:FUNDS]->(target)
RETURN a.id AS supporter, a.name AS name, coalesce(f.convention, 'not recorded') AS convention,
       'FUNDS' AS how, f.year AS year, f.amount_usd AS amount_usd
UNION
MATCH (:State {id: $state})-[:HAS_OBLIGATION]->(o:Obligation)<-[sp:SUPPORTS]-(a:Actor)
RETURN a.id AS supporter, a.name AS name, coalesce(sp.convention, 'not recorded') AS convention,
       'SUPPORTS Article ' + toString(o.article) + ' (' + sp.role + ')' AS how, sp.year AS year,
       sp.amount_usd AS amount_usd
