"""The one place that writes to the graph: `UNWIND $rows` batches inside the transaction it is given.

It works the same on Neo4j 5 and on the embedded default: nodes are created with all their labels at once and
labels are added only to nodes that existed before the transaction (the embedded default refuses a label added
in the transaction that created the node, under a uniqueness constraint; README.md, "Where the embedded default
differs from Neo4j").
In a dry run it reads as usual and counts what it would write, writing nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import neo4j

from kg.core.cypher_files import own_cypher
from kg.core.errors import ConcurrentLoadConflict, MissingRelationships, RowTooLarge, TypeNameClash
from loaders.graph import cypher_text


@dataclass(frozen=True)
class StoredNode:
    labels: frozenset[str]
    props: dict[str, Any]


@dataclass
class WriteCounts:
    nodes_created: int = 0
    nodes_updated: int = 0
    labels_added: int = 0
    relationships_created: int = 0  # in a dry run: relationships that would be merged

    def add(self, other: WriteCounts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class GraphWriter:
    tx: neo4j.ManagedTransaction
    batch_size: int = 10_000
    dry_run: bool = False
    # The embedded default keeps labels and relationship types in one set of schema types: one name cannot be
    # both (Neo4j has no such limit). Where that holds, each new name is checked before it is written.
    distinct_type_names: bool = False
    clash_remedy: str = "give one of them another name"
    counts: WriteCounts = field(default_factory=WriteCounts)
    _labels: set[str] | None = None
    _relationship_types: set[str] | None = None
    # uri -> element id of each node this transaction made, changed or looked up: statements find them by id, which
    # costs the embedded default a tenth of a search of the uri index (cypher_text).
    _ids: dict[str, str] = field(default_factory=dict)

    def check_names(self, labels: Iterable[str] = (), relationship_types: Iterable[str] = ()) -> None:
        """Refuse a name that would be both a label and a relationship type (with what the graph holds), where the
        engine cannot hold it: the one check of both loaders, each saying in `clash_remedy` what to do instead."""
        if not self.distinct_type_names:
            return
        if self._labels is None or self._relationship_types is None:
            self._labels, self._relationship_types = set(), set()
            for record in self.tx.run(own_cypher("loaders", "schema_names")):
                (self._labels if record["kind"] == "label" else self._relationship_types).add(record["name"])
        self._labels.update(labels)
        self._relationship_types.update(relationship_types)
        clash = sorted(self._labels & self._relationship_types)
        if clash:
            raise TypeNameClash(
                f"{clash[0]!r} would be both a label and a relationship type, which the embedded server cannot "
                f"hold (it keeps both as one set of types); {self.clash_remedy}"
            )

    # -- reads -------------------------------------------------------------------------------------------

    def resource_count(self) -> int:
        return int(self.tx.run(own_cypher("loaders", "count_resources")).single(strict=True)["count"])

    def resource_uris(self) -> set[str]:
        return {record["uri"] for record in self.tx.run(own_cypher("loaders", "resource_uris"))}

    def lookup(self, uris: Iterable[str]) -> dict[str, StoredNode]:
        found: dict[str, StoredNode] = {}
        for batch in batches(list(uris), self.batch_size):
            for record in self.tx.run(own_cypher("loaders", "lookup_nodes"), uris=batch):
                found[record["uri"]] = StoredNode(frozenset(record["labels"]), dict(record["props"]))
                self._ids[record["uri"]] = record["id"]
        return found

    def known(self, uris: Iterable[str]) -> bool:
        """Whether every one of these nodes can be found by element id (made or looked up in this transaction)."""
        ids = self._ids
        return all(uri in ids for uri in uris)

    def prefixes(self) -> dict[str, str]:
        return {r["prefix"]: r["namespace"] for r in self.tx.run(own_cypher("loaders", "read_prefixes"))}

    def terms(self) -> list[tuple[str, str, str]]:
        return [(r["kind"], r["name"], r["iri"]) for r in self.tx.run(own_cypher("loaders", "read_terms"))]

    # -- writes ------------------------------------------------------------------------------------------

    def create_nodes(self, groups: Mapping[frozenset[str], Sequence[dict[str, Any]]]) -> None:
        """Create new nodes, grouped by label set; each row is the node's full property map, uri included."""
        self.check_names(labels={"Resource"}.union(*groups) if groups else ())
        for labels, rows in sorted(groups.items(), key=lambda item: sorted(item[0])):
            keyed = [row["uri"] for row in rows if len(row) == 1 and "uri" in row]
            full = [row for row in rows if not (len(row) == 1 and "uri" in row)] if keyed else rows
            for batch in batches(keyed, self.batch_size):
                self._write(cypher_text.create_keyed_nodes(labels), uris=batch)
            for batch in batches(full, self.batch_size):
                self._write(cypher_text.create_nodes(labels), rows=[{"props": row} for row in batch])
            self.counts.nodes_created += len(rows)

    def create_nodes_with_relationships(
        self, groups: Mapping[frozenset[str], Sequence[tuple[dict[str, Any], Mapping[str, Sequence[str]]]]]
    ) -> None:
        """Create new nodes, grouped by label set, each with its outgoing relationships of the default graph:
        rows of (full property map, uri included; {relationship type: [end uri, …]}). Every end node must exist
        and no two rows may state one relationship twice (CREATE: the caller has removed duplicates)."""
        types = {t for rows in groups.values() for _, relationships in rows for t in relationships}
        self.check_names(labels={"Resource"}.union(*groups) if groups else (), relationship_types=types)
        for labels, rows in sorted(groups.items(), key=lambda item: sorted(item[0])):
            # Rows with the same relationship types share a statement: no row runs a subquery over nothing.
            by_types: dict[tuple[str, ...], list[tuple[dict[str, Any], list[list[str]]]]] = {}
            for props, relationships in rows:
                kinds = tuple(sorted(relationships))
                by_types.setdefault(kinds, []).append((props, [list(relationships[kind]) for kind in kinds]))
            for kinds, typed_rows in sorted(by_types.items()):
                if not kinds:
                    self.create_nodes({labels: [props for props, _ in typed_rows]})
                    continue
                for batch in batches(typed_rows, self.batch_size):
                    by_id = self.known(end for _, ends in batch for some in ends for end in some)
                    sent = sum(len(some) for _, ends in batch for some in ends)
                    text = cypher_text.create_nodes_with_relationships(labels, kinds, by_id=by_id)
                    created = self._write(text, rows=[self._ends_row(props, ends, by_id) for props, ends in batch])
                    if created is not None and created < sent:
                        raise MissingRelationships(
                            f"{sent - created} of {sent} relationships ({', '.join(kinds)}) were not created: their "
                            "end nodes do not exist"
                        )
                    self.counts.relationships_created += sent if created is None else created
                self.counts.nodes_created += len(typed_rows)

    def update_nodes(self, rows: Sequence[dict[str, Any]]) -> None:
        """Set changed properties on existing nodes: rows of {"uri": …, "props": {…}}."""
        for batch in batches(rows, self.batch_size):
            self._write(own_cypher("loaders", "update_nodes"), rows=batch)
        self.counts.nodes_updated += len(rows)

    def add_labels(self, groups: Mapping[frozenset[str], Sequence[str]]) -> None:
        self.check_names(labels=set().union(*groups) if groups else ())
        for labels, uris in sorted(groups.items(), key=lambda item: sorted(item[0])):
            for batch in batches(list(uris), self.batch_size):
                self._write(cypher_text.add_labels(labels), uris=batch)
            self.counts.labels_added += len(uris) * len(labels)

    def merge_relationships(self, groups: Mapping[str, Sequence[dict[str, Any]]], *, new_starts: bool = False) -> None:
        """Relationships by type: rows of {"start": uri, "end": uri, "graphs": [...]}.

        MERGE, so that a relationship already there is not made twice; with `new_starts` (every start node was
        created by this very batch of writes, so none of its relationships can exist yet) plain CREATE, which is
        faster: the caller has removed duplicates."""
        self.check_names(relationship_types=groups.keys())
        for relationship_type, rows in sorted(groups.items()):
            default_only = [r for r in rows if r["graphs"] == [""]]
            named = [r for r in rows if r["graphs"] != [""]]
            for statement, subset in (
                (cypher_text.relationships_of_default_graph, default_only),
                (cypher_text.relationships_of_named_graphs, named),
            ):
                for batch in batches(subset, self.batch_size):
                    pairs = [(row["start"], row["end"]) for row in batch]
                    side = "start" if new_starts else cypher_text.expansion_side(pairs)
                    by_id = self.known(uri for pair in pairs for uri in pair)
                    text = statement(relationship_type, create=new_starts, side=side, by_id=by_id)
                    created = self._write_relationships(relationship_type, text, batch, by_id)
                    self.counts.relationships_created += len(batch) if created is None else created

    def create_relationships_with_props(self, relationship_type: str, rows: Sequence[dict[str, Any]]) -> None:
        """New relationships with properties: rows of {"start": uri, "end": uri, "props": {…}} (the caller knows
        none of them exists)."""
        self.check_names(relationship_types=[relationship_type] if rows else [])
        for batch in batches(rows, self.batch_size):
            by_id = self.known(uri for row in batch for uri in (row["start"], row["end"]))
            text = cypher_text.create_relationships_with_props(relationship_type, by_id=by_id)
            created = self._write_relationships(relationship_type, text, batch, by_id)
            self.counts.relationships_created += len(batch) if created is None else created

    def update_relationship_props(self, relationship_type: str, side: str, rows: Sequence[dict[str, Any]]) -> None:
        """Set changed properties on existing relationships: rows of {"start", "end", "props"}; `side` is the
        one to expand from (cypher_text.expansion_side)."""
        for batch in batches(rows, self.batch_size):
            self._write(cypher_text.update_relationship_props(relationship_type, side), rows=batch)

    # -- unloading a named graph ----------------------------------------------------------------------------

    def release_graph_relationships(self, graph: str) -> tuple[int, int]:
        """Delete the relationships only `graph` stated and take `graph` off the others: (deleted, released)."""
        deleted = self.tx.run(own_cypher("loaders", "graph_relationships_delete"), graph=graph).single(strict=True)
        released = self.tx.run(own_cypher("loaders", "graph_relationships_release"), graph=graph).single(strict=True)
        return int(deleted["deleted"]), int(released["released"])

    def delete_nodes(self, uris: Sequence[str]) -> None:
        for uri in uris:
            self._ids.pop(uri, None)
        for batch in batches(uris, self.batch_size):
            self._write(own_cypher("loaders", "delete_nodes"), uris=batch)

    def replace_properties(self, rows: Sequence[dict[str, Any]]) -> None:
        """Replace nodes' whole property maps: rows of {"uri": …, "props": {…}}."""
        for batch in batches(rows, self.batch_size):
            self._write(own_cypher("loaders", "replace_properties"), rows=batch)

    def remove_labels(self, groups: Mapping[frozenset[str], Sequence[str]]) -> None:
        for labels, uris in sorted(groups.items(), key=lambda item: sorted(item[0])):
            for batch in batches(uris, self.batch_size):
                self._write(cypher_text.remove_labels(labels), uris=batch)

    def save_prefixes(self, assigned: Mapping[str, str]) -> None:
        """Save the prefixes this load assigned; ConcurrentLoadConflict if another load saved one of them first for
        another namespace."""
        rows = [{"prefix": p, "namespace": ns} for p, ns in sorted(assigned.items())]
        self._save_unless_taken("save_prefixes", rows, "prefix {prefix} was saved for {saved}")

    def save_terms(self, terms: Iterable[tuple[str, str, str]]) -> None:
        """Save which IRI each name stands for; ConcurrentLoadConflict if another load saved a name first for
        another IRI."""
        rows = [{"key": f"{kind}|{name}", "kind": kind, "name": name, "iri": iri} for kind, name, iri in terms]
        for batch in batches(rows, self.batch_size):
            self._save_unless_taken("save_terms", batch, "name {name} was saved for {saved}")

    def _save_unless_taken(self, query: str, rows: Sequence[dict[str, Any]], taken_text: str) -> None:
        """Run a bookkeeping save whose query returns the rows another load saved first, differently."""
        if not rows or self.dry_run:
            return
        taken = self.tx.run(own_cypher("loaders", query), rows=rows).data()
        if taken:
            wanted = taken[0].get("namespace", taken[0].get("iri"))
            raise ConcurrentLoadConflict(
                f"{taken_text.format(**taken[0])} by a load running at the same time, not for {wanted}"
            )

    def _write_relationships(
        self, relationship_type: str, text: str, rows: Sequence[dict[str, Any]], by_id: bool
    ) -> int | None:
        if not by_id:
            return self._write(text, rows=rows)
        ids = self._ids
        matched: list[int] = []
        created = self._write(
            text, rows=[{**row, "start": ids[row["start"]], "end": ids[row["end"]]} for row in rows], matched=matched
        )
        if matched and matched[0] < len(rows):
            raise MissingRelationships(
                f"{len(rows) - matched[0]} of {len(rows)} relationships ({relationship_type}) found no start or end "
                "node by element id"
            )
        return created

    def _ends_row(self, props: dict[str, Any], ends: list[list[str]], by_id: bool) -> dict[str, Any]:
        row: dict[str, Any] = {"props": props}
        for number, some in enumerate(ends):
            row[f"r{number}"] = [self._ids[end] for end in some] if by_id else some
        return row

    def _write(self, text: str, matched: list[int] | None = None, **parameters: Any) -> int | None:
        """Run one write, remembering the element ids of the nodes it made or changed (`ids`: [uri, id] pairs), and
        putting the number of rows a relationship statement `matched` into that list; the number of relationships
        it created, or None in a dry run."""
        if self.dry_run:
            return None
        result = self.tx.run(text, parameters)
        for record in result:
            if record.keys() == ["ids"]:
                self._ids.update(record[0])
            elif matched is not None:
                matched.append(record[0])
        return result.consume().counters.relationships_created


# A statement's rows travel in one Bolt message, which the embedded server refuses beyond 16 MiB, and then neither it
# nor the driver times out: the load hangs. So a batch also ends before its rows reach this many bytes (their repr()
# in UTF-8: a cheap, generous estimate of what Bolt sends), leaving room for the statement and the framing.
MAX_BATCH_BYTES = 12 * 1024 * 1024


def batches(rows: Sequence[Any], size: int, max_bytes: int = MAX_BATCH_BYTES) -> Iterable[Sequence[Any]]:
    """`rows` in consecutive slices of at most `size` rows and `max_bytes` bytes."""
    start, total = 0, 0
    for index, row in enumerate(rows):
        text = row if isinstance(row, str) else repr(row)
        weight = len(text.encode("utf-8", "surrogatepass")) + 2
        if weight > max_bytes:
            raise RowTooLarge(
                f"{_describe(row)} takes {weight:,} bytes, more than the {max_bytes:,} crm-kg sends to the "
                "database in one statement (Bolt messages end at 16 MiB); shorten its longest value"
            )
        if index - start >= size or total + weight > max_bytes:
            yield rows[start:index]
            start, total = index, 0
        total += weight
    if start < len(rows):
        yield rows[start:]


def _describe(row: Any) -> str:
    if isinstance(row, dict):
        uri = row.get("uri") or row.get("start")
        if isinstance(uri, str):
            return f"the node or relationship of <{uri[:200]}>"
    return "one row of the load"
