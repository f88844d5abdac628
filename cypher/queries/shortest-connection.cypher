// name: shortest-connection
// description: The shortest chain of relations between two actors (in either direction, up to 6 steps): who could introduce whom.
// param: from = "NLD"  (an actor id)
// param: to = "LAO"  (an actor id)
// restricted: honoured
MATCH (a:Actor {id: $from}), (b:Actor {id: $to})
WHERE ($include_restricted OR coalesce(a.sensitivity, 'public') <> 'restricted') AND ($include_restricted OR coalesce(b.sensitivity, 'public') <> 'restricted')
MATCH p = shortestPath((a)-[*..6]-(b))
WHERE all(x IN nodes(p) WHERE ($include_restricted OR coalesce(x.sensitivity, 'public') <> 'restricted')
          AND ($include_restricted OR NOT EXISTS {
            MATCH (x)-[:FOCUSES_ON]->(st) WHERE st.sensitivity = 'restricted' })
          AND ($include_restricted OR NOT EXISTS {
            MATCH (x)<-[:HAS_OBLIGATION]-(st) WHERE st.sensitivity = 'restricted' }))
  AND all(r IN relationships(p) WHERE ($include_restricted OR coalesce(r.sensitivity, 'public') <> 'restricted'))
RETURN [n IN nodes(p) | coalesce(n.name, n.title, n.id)] AS chain,
       [r IN relationships(p) | type(r)] AS relations, length(p) AS steps
