"""What both loaders share on the property-graph side: the graph config and vocabulary (`config`), how statements
become nodes and relationships (`mapping`, `naming`, `values`, `class_hierarchy`), the one module that writes
(`writer`, with its Cypher in `cypher_text`), the record of which named graph stated what (`provenance`), and
taking a named graph out again (`unload`)."""
