"""Names of labels, relationship types and properties for IRIs, under a graph config (n10s's rules).

Every name handed out is remembered with the IRI it stands for (`Namer.terms`), and new namespace prefixes
(`ns0`, `ns1`, ... in the order met) are remembered too; the loader stores both in the graph so that later
loads keep the same prefixes and `kg export` can turn names back into IRIs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from kg.core.errors import ConfigError, KgError, UndefinedPrefix, UnstorableName
from kg.core.vocabulary import CRM
from loaders.graph.config import N10S_PREFIXES, READABLE_NAMES, GraphConfig, VocabUris, is_reserved_property

SEPARATOR = "__"
_NS_PREFIX = re.compile(r"^ns(\d+)$")


class TermKind(StrEnum):
    LABEL = "label"
    RELATIONSHIP = "relationship"
    PROPERTY = "property"
    DATATYPE = "datatype"
    LITERAL = "literal"  # the form a property's literals had when first loaded: a datatype IRI or "@lang"


MAX_NAME_LENGTH = 16_384  # characters; the embedded server fails its commit somewhere past 65,000
# The embedded server keeps each label and relationship type in files named after it, URL-encoded: what survives
# the encoding and is still refused is '*' and a Windows device name before a '.' (ArcadeDB's LocalSchema). A
# refused type is left in its schema half made, so the name must never reach it.
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)


def name_problem(name: str, kind: TermKind, *, type_names_are_file_names: bool) -> str | None:
    """Why a graph database cannot hold `name` as a `kind`, or None. Any name longer than MAX_NAME_LENGTH; on the
    embedded server (`type_names_are_file_names`) also a label or relationship type that cannot name a file."""
    if len(name) > MAX_NAME_LENGTH:
        return f"it is {len(name):,} characters long, more than the {MAX_NAME_LENGTH:,} crm-kg allows"
    if not type_names_are_file_names or kind not in (TermKind.LABEL, TermKind.RELATIONSHIP):
        return None
    if "*" in name:
        return f"the embedded server cannot hold '*' in a {kind.value} name"
    if "." in name and name.split(".")[0].upper() in _DEVICE_NAMES:
        return f"the embedded server cannot hold a {kind.value} name that starts with a Windows device name and '.'"
    return None


def shorten(text: str, keep: int = 80) -> str:
    """`text`, or its start and how long it is, for a message of one line."""
    return text if len(text) <= keep else f"{text[:keep]}… ({len(text):,} characters)"


def split_iri(iri: str) -> tuple[str, str]:
    """Namespace and local name, split as RDF4J's `URIUtil.getLocalNameIndex` (so as n10s) does: after the
    *first* '#', else after the last '/', else after the last ':'. (`http://a/b#c#d` is `http://a/b#` + `c#d`.)"""
    index = iri.find("#")
    if index < 0:
        index = iri.rfind("/")
    if index < 0:
        index = iri.rfind(":")
    if index < 0:
        return "", iri
    return iri[: index + 1], iri[index + 1 :]


def camel_case(name: str) -> str:
    """lowerCamelCase: `PersonName` -> `personName`, `creation-date` -> `creationDate`."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", name) if p]
    if not parts:
        return name
    first = parts[0][:1].lower() + parts[0][1:]
    return first + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def n10s_capitalisation(name: str, kind: TermKind) -> str:
    """n10s's `applyNeo4jNaming` (RDFToLPGStatementProcessor.applyCapitalisation), exactly: a relationship type is
    upper-cased as a whole (`runsOn` -> `RUNSON`), a label gets a capital first letter, a property a lower-case
    first letter (`PersonName` -> `personName`); nothing else changes, so `creation-date` stays as it is. An n10s
    user's queries keep working; crm-kg's readable names use `upper_snake_case` and `camel_case` instead."""
    if kind is TermKind.RELATIONSHIP:
        return name.upper()
    if kind is TermKind.LABEL:
        return name[:1].upper() + name[1:]
    if kind is TermKind.PROPERTY:
        return name[:1].lower() + name[1:]
    return name


def upper_snake_case(name: str) -> str:
    """UPPER_SNAKE_CASE: `runsOn` -> `RUNS_ON`, `memberOfGroup` -> `MEMBER_OF_GROUP`, `hs-code` -> `HS_CODE`."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return "_".join(p for p in re.split(r"[^0-9A-Za-z]+", spaced) if p).upper()


@dataclass
class PrefixMap:
    """Namespace prefixes: n10s's predefined ones, the config's, and those assigned (ns0, ns1, ...) so far."""

    by_prefix: dict[str, str] = field(default_factory=dict)
    assigned: dict[str, str] = field(default_factory=dict)  # newly assigned in this load: prefix -> namespace

    @classmethod
    def start(cls, config: GraphConfig, stored: Mapping[str, str]) -> PrefixMap:
        prefixes = dict(N10S_PREFIXES)
        prefixes.update(stored)
        for prefix, namespace in config.prefixes.items():
            # One prefix for two namespaces would give terms of both the same names.
            if prefixes.get(prefix, namespace) != namespace:
                raise ConfigError(f"graph config: prefixes: {prefix} stands for <{prefixes[prefix]}> in this graph "
                                  f"already; choose another prefix for <{namespace}>")
        prefixes.update(config.prefixes)
        return cls(prefixes)

    def __post_init__(self) -> None:
        self._by_namespace = {ns: p for p, ns in self.by_prefix.items()}

    def prefix_for(self, namespace: str, *, strict: bool) -> str:
        prefix = self._by_namespace.get(namespace)
        if prefix is not None:
            return prefix
        if strict:
            # n10s's own wording (NamespaceWithUndefinedPrefix), so that its users recognise it, then how to fix it.
            raise UndefinedPrefix(
                f"No prefix has been defined for namespace <{namespace}> and 'handleVocabUris' is set to "
                "'SHORTEN_STRICT'; add it under 'prefixes' in the graph config"
            )
        used = [int(m[1]) for p in self.by_prefix if (m := _NS_PREFIX.match(p))]
        prefix = f"ns{max(used) + 1 if used else 0}"
        self.by_prefix[prefix] = namespace
        self._by_namespace[namespace] = prefix
        self.assigned[prefix] = namespace
        return prefix


@dataclass
class Namer:
    config: GraphConfig
    prefixes: PrefixMap
    terms: dict[tuple[TermKind, str], str] = field(default_factory=dict)  # (kind, name) -> IRI, met in this load
    literal_forms: dict[str, str] = field(default_factory=dict)  # property name -> first form (from earlier loads too)
    type_names_are_file_names: bool = False  # the embedded server's rule for labels and types (`name_problem`)
    # (kind, IRI) -> name: a name never changes within a load, and the loader asks for the same few names millions
    # of times (and twice per statement: once in the pass that assigns prefixes in statement order).
    _names: dict[tuple[TermKind, str], str] = field(default_factory=dict, init=False, repr=False)

    @property
    def shortens(self) -> bool:
        """Whether names depend on the order namespaces are met in (new prefixes ns0, ns1, ... are handed out)."""
        return self.config.readable or self.config.handle_vocab_uris in (VocabUris.SHORTEN, VocabUris.SHORTEN_STRICT)

    def label(self, iri: str) -> str:
        return self._name(iri, TermKind.LABEL)

    def relationship_type(self, iri: str) -> str:
        return self._name(iri, TermKind.RELATIONSHIP)

    def property_name(self, iri: str) -> str:
        return self._name(iri, TermKind.PROPERTY)

    def literal_form(self, name: str, datatype: str, language: str | None) -> tuple[str, bool]:
        """The literal's form (its datatype IRI, or "@lang") and whether it differs from the form the property first
        had. The first form of each property is remembered (also across loads), so that `kg export` can give
        literals back their datatype and language; the mapper records the exceptions on their nodes."""
        form = f"@{language}" if language is not None else datatype
        first = self.literal_forms.get(name)
        if first is None:
            self.literal_forms[name] = form
            self.terms[(TermKind.LITERAL, name)] = form
            return form, False
        return form, first != form

    def datatype(self, iri: str) -> str:
        """A custom datatype's name inside a kept literal ("10000^^ns0__EUR"): shortened under SHORTEN, else the full
        IRI. As in n10s (`getValueWithDatatype`), SHORTEN_STRICT keeps the full IRI too: a datatype namespace without
        a prefix does not fail a load that n10s accepts."""
        if self.config.handle_vocab_uris is not VocabUris.SHORTEN:
            return iri
        key = (TermKind.DATATYPE, iri)
        name = self._names.get(key)
        if name is None:
            namespace, local = split_iri(iri)
            name = self._names[key] = f"{self.prefixes.prefix_for(namespace, strict=False)}{SEPARATOR}{local}"
            self.terms[(TermKind.DATATYPE, name)] = iri
        return name

    def _name(self, iri: str, kind: TermKind) -> str:
        key = (kind, iri)
        name = self._names.get(key)
        if name is None:
            name = self._choose(iri, kind)
            if not name:  # an IRI ending in / or # under IGNORE or MAP: nothing to name the term after
                raise KgError(
                    f"{iri} has no local name to name a {kind.value} after (handleVocabUris "
                    f"{self.config.handle_vocab_uris.value}): use SHORTEN, or MAP it to a name"
                )
            if kind is TermKind.PROPERTY and is_reserved_property(name):
                namespace, local = split_iri(iri)
                name = f"{self.prefixes.prefix_for(namespace, strict=False)}{SEPARATOR}{local}"
            problem = name_problem(name, kind, type_names_are_file_names=self.type_names_are_file_names)
            if problem is not None:
                raise UnstorableName(
                    f"the {kind.value} name {shorten(name)!r} (for <{shorten(iri)}>) cannot be stored: {problem}; "
                    "MAP the IRI to another name in the graph config"
                )
            self._names[key] = name
            self.terms.setdefault((kind, name), iri)
        return name

    def _choose(self, iri: str, kind: TermKind) -> str:
        config = self.config
        namespace, local = split_iri(iri)
        if config.readable:
            if iri in READABLE_NAMES:
                return self._neo4j_style(READABLE_NAMES[iri], kind)
            if namespace == CRM:
                return self._neo4j_style(local, kind)
        mode = config.handle_vocab_uris
        if mode is VocabUris.KEEP:
            return iri
        if mode in (VocabUris.SHORTEN, VocabUris.SHORTEN_STRICT):
            prefix = self.prefixes.prefix_for(namespace, strict=mode is VocabUris.SHORTEN_STRICT)
            return f"{prefix}{SEPARATOR}{local}"
        if mode is VocabUris.MAP and iri in config.mappings:
            return config.mappings[iri]
        return n10s_capitalisation(local, kind) if config.apply_neo4j_naming else local

    def _neo4j_style(self, local: str, kind: TermKind) -> str:
        if kind is TermKind.RELATIONSHIP:
            return upper_snake_case(local)
        if kind is TermKind.PROPERTY:
            return camel_case(local)
        return local
