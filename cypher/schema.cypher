// ccm-graph schema: uniqueness constraints and indexes for Neo4j 5.26.
// Generated from ccm_graph.queries (schema_statements); applied idempotently by
// `ccm-graph load` and by Store.apply_schema(). Regenerate with:
//   python -m ccm_graph.queries > cypher/schema.cypher
CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:`Actor`) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT obligation_id IF NOT EXISTS FOR (n:`Obligation`) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT coalition_id IF NOT EXISTS FOR (n:`Coalition`) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT activity_id IF NOT EXISTS FOR (n:`Activity`) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT change_log_id IF NOT EXISTS FOR (n:`ChangeLog`) REQUIRE n.id IS UNIQUE;
CREATE INDEX actor_name IF NOT EXISTS FOR (n:`Actor`) ON (n.name);
CREATE INDEX actor_kind IF NOT EXISTS FOR (n:`Actor`) ON (n.kind);
CREATE INDEX state_iso3 IF NOT EXISTS FOR (n:`State`) ON (n.iso3);
CREATE INDEX obligation_deadline IF NOT EXISTS FOR (n:`Obligation`) ON (n.deadline);
CREATE INDEX obligation_article_status IF NOT EXISTS FOR (n:`Obligation`) ON (n.article, n.status);
CREATE INDEX coalition_status IF NOT EXISTS FOR (n:`Coalition`) ON (n.status);
CREATE INDEX change_record_at IF NOT EXISTS FOR (n:`ChangeRecord`) ON (n.at);
CREATE CONSTRAINT evidence_key IF NOT EXISTS FOR (n:`Evidence`) REQUIRE n.ev_key IS UNIQUE;
CREATE INDEX evidence_record IF NOT EXISTS FOR (n:`Evidence`) ON (n.record);
CREATE CONSTRAINT account_name IF NOT EXISTS FOR (a:`Account`) REQUIRE a.name IS UNIQUE;
DROP INDEX funds_rel_key IF EXISTS;
DROP INDEX operates_in_rel_key IF EXISTS;
DROP INDEX member_of_rel_key IF EXISTS;
DROP INDEX supports_rel_key IF EXISTS;
DROP INDEX participates_in_rel_key IF EXISTS;
DROP INDEX staged_id IF EXISTS;
