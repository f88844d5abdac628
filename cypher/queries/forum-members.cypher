// name: forum-members
// description: The members of a forum or coalition with their roles and dates.
// param: forum = "masg"  (a forum or coalition id)
MATCH (a:Actor)-[m:MEMBER_OF]->(f {id: $forum})
RETURN a.id AS member, a.name AS name, m.role AS role, m.since AS since, m.until AS until
ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'coordinator' THEN 0 WHEN 'lead' THEN 0
         ELSE 1 END, member
