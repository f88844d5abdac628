// name: shortest-connection
// description: The shortest chain of relations between two actors (in either direction, up to 6 steps): who could introduce whom.
// param: from = "NLD"  (an actor id)
// param: to = "LAO"  (an actor id)
MATCH (a:Actor {id: $from}), (b:Actor {id: $to})
MATCH p = shortestPath((a)-[*..6]-(b))
RETURN [n IN nodes(p) | coalesce(n.name, n.title, n.id)] AS chain,
       [r IN relationships(p) | type(r)] AS relations, length(p) AS steps
