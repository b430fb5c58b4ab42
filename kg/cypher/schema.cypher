// name: schema
// description: Constraints and indexes, created before any load: several statements, each ending with ';'.
// Constraints and indexes, created before any load. Idempotent: safe to run on every start.
// Every resource is a node with a unique `uri` (as in neosemantics); names are looked up by people.
CREATE CONSTRAINT resource_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE;
CREATE INDEX resource_name IF NOT EXISTS FOR (r:Resource) ON (r.name);
// A load's bookkeeping: one prefix per namespace and one namespace per prefix, one IRI per label, relationship type
// or property name. Loads that run at the same time each assign prefixes from what was saved when they began; these
// constraints make the one that saves second fail, and the loader then runs its file again (loaders/rdf/load.py).
CREATE CONSTRAINT kg_prefix IF NOT EXISTS FOR (p:_KgPrefix) REQUIRE p.prefix IS UNIQUE;
CREATE CONSTRAINT kg_prefix_namespace IF NOT EXISTS FOR (p:_KgPrefix) REQUIRE p.namespace IS UNIQUE;
CREATE CONSTRAINT kg_term IF NOT EXISTS FOR (t:_KgTerm) REQUIRE t.key IS UNIQUE;
