// name: funding-by-donor
// description: Recorded funding per donor from a given year on, with the number of grants and recipients (amounts in USD where known).
// param: from_year = 2022  (a year)
// restricted: honoured
MATCH (d:Actor)-[f:FUNDS]->(t)
WHERE f.year >= toInteger($from_year) AND ($include_restricted OR coalesce(d.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(t.sensitivity, 'public') <> 'restricted')
  AND NOT EXISTS { MATCH (t)-[:FOCUSES_ON]->(st) WHERE NOT ($include_restricted OR coalesce(st.sensitivity, 'public') <> 'restricted') }
RETURN d.id AS donor, d.name AS name, count(f) AS grants, count(DISTINCT t) AS recipients,
       sum(coalesce(f.amount_usd, 0)) AS total_usd, count(f.amount_usd) AS grants_with_amount
ORDER BY total_usd DESC, donor
