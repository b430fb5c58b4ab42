// Constraints and indexes, created before any load. Idempotent: safe to run on every start.
// Every resource is a node with a unique `uri` (as in neosemantics); names are looked up by people.
CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE;
CREATE INDEX resource_name IF NOT EXISTS FOR (r:Resource) ON (r.name);
