"""How RDF maps to the property graph: neosemantics' (n10s) graph-config parameters, so n10s users bring theirs.

Two starting points:
- `readable_config()`: crm-kg's default when no `--graph-config` is given. Our own namespace gets readable names
  (class local names as labels, object properties as UPPER_SNAKE_CASE relationship types, datatype properties as
  camelCase properties) and a few well-known annotation properties get plain names (rdfs:label is `name`);
  every other namespace is shortened as n10s does (`prefix__localName`).
- `n10s_config(params)`: exactly n10s's semantics, starting from its defaults (SHORTEN, OVERWRITE, LABELS).

The mapping is documented in one place: loaders/MAPPING.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from kg.core.errors import ConfigError
from kg.core.vocabulary import CRM, DCTERMS, OWL, RDF, RDFS, SCHEMA, SH, SKOS, SKOSXL, XSD
from loaders.graph.yaml_files import parse_yaml


class VocabUris(StrEnum):
    SHORTEN = "SHORTEN"
    SHORTEN_STRICT = "SHORTEN_STRICT"
    IGNORE = "IGNORE"
    MAP = "MAP"
    KEEP = "KEEP"


class Multival(StrEnum):
    OVERWRITE = "OVERWRITE"
    ARRAY = "ARRAY"


class RdfTypes(StrEnum):
    LABELS = "LABELS"
    NODES = "NODES"
    LABELS_AND_NODES = "LABELS_AND_NODES"


# n10s's predefined prefixes (NsPrefixMap.java); every other namespace gets ns0, ns1, ... in the order met.
N10S_PREFIXES: dict[str, str] = {
    "sch": SCHEMA,
    "skos": SKOS,
    "skosxl": SKOSXL,
    "rdfs": RDFS,
    "owl": OWL,
    "rdf": RDF,
    "sh": SH,
    "xsd": XSD,
}

# crm-kg's readable names for well-known vocabulary (the `readable` part of the default config), in camelCase:
# as relationship types they are UPPER_SNAKE_CASE (owl:sameAs is SAME_AS). None may equal a local name of the
# crm ontology, or two IRIs would share one name (tests/test_loader_naming_readable.py checks it).
READABLE_NAMES: dict[str, str] = {
    RDFS + "label": "name",
    RDFS + "comment": "comment",
    SKOS + "altLabel": "altLabels",
    SKOS + "prefLabel": "prefLabel",
    SKOS + "definition": "definition",
    DCTERMS + "title": "title",
    DCTERMS + "publisher": "publisher",
    DCTERMS + "license": "license",
    OWL + "sameAs": "sameAs",  # a relationship: SAME_AS
    OWL + "versionInfo": "versionInfo",
}

# Literal properties of the readable default that may hold several values, so they are always lists.
READABLE_MULTIVALUED: frozenset[str] = frozenset(
    {SKOS + "altLabel", DCTERMS + "publisher", CRM + "hsCode", CRM + "cnCode", CRM + "chinaCustomsCode",
     CRM + "criticalScope", CRM + "strategicScope"}
)

_N10S_KEYS = {
    "handleVocabUris", "handleMultival", "multivalPropList", "keepLangTag", "handleRDFTypes", "keepCustomDataTypes",
    "customDataTypePropList", "applyNeo4jNaming", "languageFilter", "predicateExclusionList", "mappings", "prefixes",
    "readableNames",
}


@dataclass(frozen=True)
class GraphConfig:
    handle_vocab_uris: VocabUris = VocabUris.SHORTEN
    handle_multival: Multival = Multival.OVERWRITE
    multival_props: frozenset[str] = frozenset()  # predicate IRIs; empty with ARRAY means every predicate
    keep_lang_tag: bool = False
    handle_rdf_types: RdfTypes = RdfTypes.LABELS
    keep_custom_data_types: bool = False
    custom_data_type_props: frozenset[str] = frozenset()  # predicate IRIs; empty means every predicate
    apply_neo4j_naming: bool = False
    language_filter: str | None = None
    predicate_exclusions: frozenset[str] = frozenset()
    mappings: Mapping[str, str] = field(default_factory=dict)  # IRI -> name, for MAP
    prefixes: Mapping[str, str] = field(default_factory=dict)  # prefix -> namespace, added to n10s's own
    readable: bool = False  # crm-kg's readable names for its own namespace and well-known vocabulary

    def is_multivalued(self, predicate: str) -> bool:
        if self.readable and predicate in READABLE_MULTIVALUED:
            return True
        if self.handle_multival is Multival.OVERWRITE:
            return False
        return not self.multival_props or predicate in self.multival_props


def readable_config() -> GraphConfig:
    """crm-kg's default mapping (see the module docstring)."""
    return GraphConfig(readable=True)


def n10s_config(params: Mapping[str, Any], *, origin: str = "graph config") -> GraphConfig:
    """A config from n10s parameter names and values; an unknown key or value is named in the error."""
    unknown = sorted(set(params) - _N10S_KEYS)
    if unknown:
        raise ConfigError(f"{origin}: unknown parameter {unknown[0]!r}; known: {', '.join(sorted(_N10S_KEYS))}")
    config = GraphConfig(
        handle_vocab_uris=_choice(params, "handleVocabUris", VocabUris, VocabUris.SHORTEN, origin),
        handle_multival=_choice(params, "handleMultival", Multival, Multival.OVERWRITE, origin),
        multival_props=_iri_set(params, "multivalPropList", origin),
        keep_lang_tag=_flag(params, "keepLangTag", origin),
        handle_rdf_types=_choice(params, "handleRDFTypes", RdfTypes, RdfTypes.LABELS, origin),
        keep_custom_data_types=_flag(params, "keepCustomDataTypes", origin),
        custom_data_type_props=_iri_set(params, "customDataTypePropList", origin),
        apply_neo4j_naming=_flag(params, "applyNeo4jNaming", origin),
        language_filter=_optional_text(params, "languageFilter", origin),
        predicate_exclusions=_iri_set(params, "predicateExclusionList", origin),
        mappings=_mappings(params.get("mappings"), origin),
        prefixes=_prefixes(params.get("prefixes"), origin),
        readable=_flag(params, "readableNames", origin),
    )
    if config.handle_vocab_uris is not VocabUris.MAP and config.mappings:
        raise ConfigError(f"{origin}: 'mappings' needs handleVocabUris: MAP")
    return config


def load_graph_config(path: Path) -> GraphConfig:
    """Read a JSON or YAML file of n10s graph-config parameters."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the graph config: {error.strerror}") from error
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the graph config is not UTF-8 text") from None
    if path.suffix == ".json":
        try:
            params = json.loads(text)
        except ValueError as error:
            raise ConfigError(f"{path}: not valid JSON: {error}") from None
        except RecursionError:
            raise ConfigError(f"{path}: not valid JSON: nested too deeply") from None
    else:
        params = parse_yaml(text, str(path))
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise ConfigError(f"{path}: a graph config is a mapping of n10s parameter names to values")
    return n10s_config(params, origin=str(path))


def with_import_options(
    config: GraphConfig, *, language_filter: str | None = None, predicate_exclusions: frozenset[str] = frozenset()
) -> GraphConfig:
    """The per-import parameters of n10s (languageFilter, predicateExclusionList) over a config."""
    return replace(
        config,
        language_filter=language_filter or config.language_filter,
        predicate_exclusions=config.predicate_exclusions | predicate_exclusions,
    )


def _choice(params: Mapping[str, Any], key: str, kind: type[StrEnum], default: Any, origin: str) -> Any:
    raw = params.get(key)
    if raw is None:
        return default
    try:
        return kind(str(raw).upper())
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ConfigError(f"{origin}: {key}={raw!r} is not one of {allowed}") from None


def _flag(params: Mapping[str, Any], key: str, origin: str) -> bool:
    raw = params.get(key, False)
    if not isinstance(raw, bool):
        raise ConfigError(f"{origin}: {key}={raw!r} must be true or false")
    return raw


def _optional_text(params: Mapping[str, Any], key: str, origin: str) -> str | None:
    raw = params.get(key)
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw:
        raise ConfigError(f"{origin}: {key}={raw!r} must be a non-empty string")
    return raw


def _iri_set(params: Mapping[str, Any], key: str, origin: str) -> frozenset[str]:
    raw = params.get(key)
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(v, str) and ":" in v for v in raw):
        raise ConfigError(f"{origin}: {key} must be a list of full IRIs")
    return frozenset(raw)


# Property names that data may never write: `uri` is every node's key; `_`-names are the loader's bookkeeping
# (`_graphs`, `_graphLabels`, …, loaders/graph/provenance.py); `@`-names are the embedded server's record
# attributes (`@rid`, `@type`, `@out`, `@in`). A predicate that would be named so (by IGNORE, or by a MAP fallback)
# is written with its namespace's prefix instead, as SHORTEN would name it (`ns0__uri`); a mapping to such a name is
# refused.
RESERVED_PROPERTY_RULE = "uri, and names starting with _ or @"


def is_reserved_property(name: str) -> bool:
    return name == "uri" or name.startswith(("_", "@"))


def _mappings(raw: Any, origin: str) -> dict[str, str]:
    """n10s's mapping list: [{"iri": ..., "name": ...}, ...] (a plain {iri: name} mapping is accepted too)."""
    if raw is None:
        return {}
    if not isinstance(raw, (dict, list)):
        raise ConfigError(f"{origin}: mappings must be a list of {{iri: ..., name: ...}} entries")
    pairs = (
        raw.items() if isinstance(raw, dict) else ((m.get("iri"), m.get("name")) for m in raw if isinstance(m, dict))
    )
    result = {str(iri): str(name) for iri, name in pairs if iri and name}
    expected = len(raw)
    if len(result) != expected:
        raise ConfigError(f"{origin}: mappings must be a list of {{iri: ..., name: ...}} entries")
    for iri, name in result.items():
        if is_reserved_property(name):
            raise ConfigError(f"{origin}: mappings: {name} (for {iri}) is a name crm-kg keeps for itself "
                              f"({RESERVED_PROPERTY_RULE}); choose another")
    return result


# A prefix is the front of every name it makes (`prefix__local`): one that is empty or starts with _ or @ would make
# names crm-kg keeps for itself (`__uri`), so a prefix is a plain name.
_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def _prefixes(raw: Any, origin: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise ConfigError(f"{origin}: prefixes must map a prefix to a namespace IRI")
    for prefix in raw:
        if not _PREFIX.fullmatch(prefix):
            raise ConfigError(f"{origin}: prefixes: {prefix!r} is not a prefix: it must start with a letter and hold "
                              "only letters, digits, _ and -")
    return dict(raw)
