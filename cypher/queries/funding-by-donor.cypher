// name: funding-by-donor
// description: Recorded funding per donor from a given year on: grants, recipients, the total of the amounts known, and how many grants have no amount recorded (unknown, not zero).
// param: from_year = 2022  (a year)
// restricted: honoured
MATCH (d:Actor)-[f:FUNDS]->(t)
WHERE f.year >= toInteger($from_year)
  AND ($include_restricted OR coalesce(d.sensitivity, 'public') <> 'restricted')
  AND ($include_restricted OR coalesce(f.sensitivity, 'public') <> 'restricted')
  AND ($include_restricted OR coalesce(t.sensitivity, 'public') <> 'restricted')
  AND NOT EXISTS { MATCH (t)-[:FOCUSES_ON]->(st)
                   WHERE NOT ($include_restricted OR coalesce(st.sensitivity, 'public') <> 'restricted') }
WITH d, count(f) AS grants, count(DISTINCT t) AS recipients,
     count(f.amount_usd) AS grants_with_amount, sum(f.amount_usd) AS known
RETURN d.id AS donor, d.name AS name, grants, recipients,
       CASE WHEN grants_with_amount = 0 THEN null ELSE known END AS known_total_usd,
       grants_with_amount, grants - grants_with_amount AS grants_amount_unknown
ORDER BY coalesce(known_total_usd, -1) DESC, donor
