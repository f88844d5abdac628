// name: state-profile
// description: One State at a glance: its treaty status, national authority, obligations and coalitions.
// param: state = "LBN"  (a State id)
// restricted: honoured
MATCH (s:State {id: $state})
WHERE ($include_restricted OR coalesce(s.sensitivity, 'public') <> 'restricted')
OPTIONAL MATCH (na:NationalAuthority)-[nr:OPERATES_IN]->(s)
WHERE ($include_restricted OR coalesce(na.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(nr.sensitivity, 'public') <> 'restricted')
OPTIONAL MATCH (s)-[:HAS_OBLIGATION]->(o:Obligation)
OPTIONAL MATCH (c:Coalition)-[:FOCUSES_ON]->(s)
WHERE ($include_restricted OR coalesce(c.sensitivity, 'public') <> 'restricted')
RETURN s.id AS state, s.name AS name, s.ccm_status AS ccm_status,
       s.apmbc_status AS apmbc_status, collect(DISTINCT na.name) AS national_authority,
       collect(DISTINCT 'Article ' + toString(o.article) + ': ' + o.status
               + coalesce(' (deadline ' + o.deadline + ')', '')) AS obligations,
       collect(DISTINCT c.name + ' (' + c.status + ')') AS coalitions
