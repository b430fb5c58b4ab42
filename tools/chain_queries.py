# ruff: noqa: E501 -- the header lines are the .cypher files' own, one header field a line
"""Write the two chain-counting packs, queries/dependencies/upstream_chains.cypher and downstream_chains.cypher.

Cypher without APOC has no loop, so counting the chains between two nodes without listing them (a dynamic
programme over the USED_IN graph, one step per hop) is written out as twelve identical steps, the most any report
follows. This script is the one place those steps are written; tests/test_chain_queries.py fails when a committed
file differs from what it writes. Run it after changing the template: `.venv/bin/python tools/chain_queries.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

MAX_HOPS = 12
QUERIES = Path(__file__).resolve().parent.parent / "queries" / "dependencies"

_ADDITIVE_LINKS = """\
CALL () {
  OPTIONAL MATCH (k:Constituent)-[:MATERIAL]->(a), (k)-[:CONSTITUENT_OF]->(b)
  WHERE k.constituentRole = 'additive'
  RETURN collect([a, b]) AS additive_links
}
"""

# An example chain is carried as one string, the names joined by U+001F (the unit separator; a name holding one would show split there):
# the smallest string is then the chain first by names, as min() finds it without sorting, and a string is cheaper
# to carry through twelve steps than a list (at 75k nodes downstream, 30-40% of the whole query).
SEPARATOR = "'\\u001f'"

# Every node reached, once: its chains summed over the step counts, its shortest step count and, of the chains that
# short, the first by names (a node is reached once per step count, with that count's first chain).
_AGGREGATE = """\
WITH f, hops
ORDER BY hops
WITH f.node AS {node}, sum(f.chains) AS chains, sum(f.main) AS main_chains, min(hops) AS hops,
     split(collect(f.path)[0], """ + SEPARATOR + """) AS path
"""

# The links a Constituent fact marks additive are read once, as pairs of nodes, before the first step: looking
# them up link by link costs as much as the rest of a step.
# One step: from the nodes reached at `hops - 1` steps (each with its number of chains, of chains without an
# additive link, and one chain), to their neighbours one USED_IN step further. A node reached through several of
# them adds their counts; its example chain is the first by names.
_STEP = """\
CALL (layer, additive_links) {{
  UNWIND CASE WHEN {hops} <= $max_hops THEN layer ELSE [] END AS f
  WITH f, f.node AS {near}, additive_links
  MATCH ({up})-[:USED_IN]->({down})
  WITH {far}, f, [{up}, {down}] IN additive_links AS additive
  WITH {far}, sum(f.chains) AS chains, sum(CASE WHEN additive THEN 0 ELSE f.main END) AS main,
       min(f.path) AS path
  RETURN collect({{node: {far}, chains: chains, main: main, path: {extend}}}) AS next
}}
WITH {carried}, additive_links, {earlier}next AS layer, next AS reached{hops}
"""

# After the last step: every node reached, at each number of steps, as rows. Each step's nodes are kept in a
# variable of their own: appending them to one growing list would copy it at every step, and the embedded server
# counts every copy against its query memory.
_REACHED = """\
UNWIND [{layers}] AS step
UNWIND step.reached AS f
WITH {carried}, f, step.hops AS hops
WHERE {keep}
"""

_MATCH_NAME = (
    "toLower({v}.name) = toLower(${p}) OR any(a IN coalesce({v}.altLabels, []) WHERE toLower(a) = toLower(${p}))"
)

UPSTREAM_HEADER = """\
// name: upstream_chains
// description: The materials upstream of a component, product, sector or company (what it makes), each with its number of chains, of chains without an additive link, the shortest chain's length and one shortest chain; chains are counted, never listed.
// param: name (string) = "Wheel-speed sensor" -- the name or alternative label (case-insensitive) of the intermediate, component, product, sector or company to look upstream from; every node so named counts, and a company stands for what it makes
// param: max_hops (integer) = 8 -- the longest chain of USED_IN steps counted (at most 12)
// returns: material (string), kind (string), is_strategic (boolean), hops (integer), chains (integer), main_chains (integer), path (list of string)
// question: Which materials does this depend on, through how many chains, and does it need them as main constituents or only as additives?
//
// A chain is a path of USED_IN steps from the material to the target of at most max_hops steps. chains counts
// them exactly without listing them: step by step from the target, each node reached at n steps carries the
// number of chains of length n from it (the sum over the nodes it goes into), so the work grows with the nodes
// and links upstream times the steps, not with the number of chains (a lattice of depth d has 2^d). main_chains
// counts the chains none of whose links a Constituent fact marks as additive: 0 means the material enters only
// as an additive or dopant. hops is the shortest chain's length; path its names, from the material to the
// target (of equal-length chains, the first by names). kind is Intermediate or Material (raw); every Material
// upstream counts, intermediates included, since an intermediate has a supply of its own. The steps are written
// out (Cypher has no loop): tools/chain_queries.py writes this file.
CALL () {
  MATCH (t:Resource)
  WHERE (t:Material OR t:Component OR t:Product OR t:Sector)
    AND (""" + _MATCH_NAME.format(v="t", p="name") + """)
  RETURN t
  UNION
  MATCH (c:Company)-[:MAKES]->(t)
  WHERE """ + _MATCH_NAME.format(v="c", p="name") + """
  RETURN t
}
WITH collect(DISTINCT t) AS targets
""" + _ADDITIVE_LINKS + """WITH targets, additive_links, [t IN targets | {node: t, chains: 1, main: 1, path: t.name}] AS layer
"""

UPSTREAM_FOOTER = _AGGREGATE.format(node="m") + """\
RETURN m.name AS material,
       CASE WHEN m:Intermediate THEN 'Intermediate' ELSE 'Material' END AS kind,
       coalesce(m.isStrategic, false)
         OR EXISTS { (m)-[:MEMBER_OF_GROUP*1..3]->(g:MaterialGroup) WHERE g.isStrategic = true } AS is_strategic,
       hops,
       chains,
       main_chains,
       path
ORDER BY hops, material, path
"""

_DOWNSTREAM_START = """\
CALL () {
  MATCH (m:Material)
  WHERE """ + _MATCH_NAME.format(v="m", p="material") + """
  RETURN m
  UNION
  MATCH (g:Material)
  WHERE """ + _MATCH_NAME.format(v="g", p="material") + """
  MATCH (m:Material)-[:MEMBER_OF_GROUP*1..3]->(g)
  RETURN m
}
WITH collect(DISTINCT m) AS starts
""" + _ADDITIVE_LINKS + """WITH starts, additive_links, [m IN starts | {node: m, chains: 1, main: 1, path: m.name}] AS layer
"""

DOWNSTREAM_HEADER = """\
// name: downstream_chains
// description: Everything downstream of a material or of every member of a material group (intermediates, components, products, sectors), each with its number of chains, of chains without an additive link, the shortest chain's length and one shortest chain; chains are counted, never listed.
// param: material (string) = "gallium" -- a material's or material group's name or alternative label (case-insensitive); a group stands for its members
// param: max_hops (integer) = 6 -- the longest chain of USED_IN steps counted (at most 12)
// returns: name (string), kind (string), hops (integer), chains (integer), main_chains (integer), path (list of string)
// question: What depends on this material, through how many chains, and as a main constituent or only through additives?
//
// The starting materials are those so named and, for a group (rare earth elements, heavy rare earths), every
// member up to three group levels down. A chain is a path of USED_IN steps from a starting material, of at most
// max_hops steps; chains counts them exactly without listing them (see upstream_chains): the work grows with the
// nodes and links downstream times the steps. main_chains counts the chains with no link marked additive by a
// Constituent fact. hops is the shortest chain's length and path its names (of equal-length chains, the first by
// names). kind is the most specific of Sector, Product, Component and Intermediate. The steps are written out
// (Cypher has no loop): tools/chain_queries.py writes this file.
""" + _DOWNSTREAM_START

DOWNSTREAM_FOOTER = _AGGREGATE.format(node="n") + """\
RETURN n.name AS name,
       CASE
         WHEN n:Sector THEN 'Sector'
         WHEN n:Product THEN 'Product'
         WHEN n:Component THEN 'Component'
         WHEN n:Intermediate THEN 'Intermediate'
         ELSE 'Material'
       END AS kind,
       hops,
       chains,
       main_chains,
       path
ORDER BY hops, name, path
"""

COMPANIES_HEADER = """\
// name: companies_exposed_to_material
// description: Companies that make something downstream of a material or of any member of a material group (an intermediate, component or product it goes into), with how many steps away and through how many chains.
// param: material (string) = "gallium" -- a material's or material group's name or alternative label (case-insensitive); a group stands for its members
// param: max_hops (integer) = 6 -- the longest USED_IN chain counted (at most 12)
// returns: company (string), hq_country (string), makes (string), hops (integer), chains (integer)
// question: Which companies make things that depend on this material, and through how many steps?
//
// One row per company and thing it makes that the material reaches through 1..max_hops USED_IN steps, with the
// shortest such number of steps and the number of chains (counted as in downstream_chains, never listed).
// Companies that make the material itself are not listed (hops 0). The steps are written out (Cypher has no
// loop): tools/chain_queries.py writes this file.
""" + _DOWNSTREAM_START

COMPANIES_FOOTER = """\
WITH f.node AS x, sum(f.chains) AS chains, min(hops) AS hops
MATCH (co:Company)-[:MAKES]->(x)
OPTIONAL MATCH (co)-[:HEADQUARTERED_IN]->(hq:Country)
RETURN co.name AS company,
       hq.name AS hq_country,
       x.name AS makes,
       hops,
       chains
ORDER BY hops, company, makes
"""


def steps(near: str, far: str, extend: str | None, carried: str, keep: str) -> str:
    """The twelve steps; with extend None, no example chain is carried."""
    written = [
        _STEP.format(
            hops=hops, near=near, up="x", down="y", far=far, extend=extend, carried=carried,
            earlier="".join(f"reached{n}, " for n in range(1, hops)),
        )
        for hops in range(1, MAX_HOPS + 1)
    ]
    if extend is None:
        written = [text.replace(",\n       min(f.path) AS path", "").replace(", path: None", "") for text in written]
    layers = ",\n        ".join(f"{{hops: {n}, reached: reached{n}}}" for n in range(1, MAX_HOPS + 1))
    return "".join(written) + _REACHED.format(layers=layers, carried=carried, keep=keep)


def upstream() -> str:
    walk = steps("y", "x", "x.name + " + SEPARATOR + " + path", "targets", "f.node:Material AND NOT f.node IN targets")
    return UPSTREAM_HEADER + walk + UPSTREAM_FOOTER


def downstream() -> str:
    walk = steps("x", "y", "path + " + SEPARATOR + " + y.name", "starts", "NOT f.node IN starts")
    return DOWNSTREAM_HEADER + walk + DOWNSTREAM_FOOTER


def companies() -> str:
    return COMPANIES_HEADER.replace(", path: m.name}", "}") + steps("x", "y", None, "starts", "NOT f.node IN starts") + COMPANIES_FOOTER


FILES = {
    QUERIES / "upstream_chains.cypher": upstream,
    QUERIES / "downstream_chains.cypher": downstream,
    QUERIES.parent / "companies" / "companies_exposed_to_material.cypher": companies,
}


def main() -> int:
    for path, text in FILES.items():
        path.write_text(text(), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
