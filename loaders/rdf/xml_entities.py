"""How much an XML file's internal entities would expand it, found before any parser expands them.

RDF/XML may declare entities in its DOCTYPE (`<!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">`, as ontology
editors write), and pyoxigraph expands them without limit: a billion-laughs file of 988 bytes took 9.3 GB before
anything refused it. This module reads the declarations, works out each entity's expanded length (entities nest),
then counts the references in the file, and refuses a file whose references would add more than `MAX_EXPANSION`
characters. Two scans of the file in blocks (one if it declares no entity).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

MAX_EXPANSION = 64 * 1024 * 1024  # characters that entity references may add to a file, in all
# A declaration of an internal entity; just "<!ENTITY" when the rest cannot be read as one (an external entity, or a
# declaration longer than _OVERLAP), which is refused: its expansion cannot be bounded here.
_ENTITY = re.compile(rb"""<!ENTITY(?:\s+(%\s+)?([^\s%;"'<>]+)\s+(?:"([^"]*)"|'([^']*)')\s*>)?""")
_REFERENCE = re.compile(rb"&([^\s&;#<>\"']{1,256});")
_MAX_DEPTH = 64  # entities within entities
_OVERLAP = 1 << 20  # a declaration or reference split across two blocks is read whole if shorter than this


class EntityExpansionError(ValueError):
    """The file's entities would expand it by more than the limit, or refer to themselves."""


def check_entity_expansion(read_blocks: Callable[[], Iterable[bytes]], limit: int = MAX_EXPANSION) -> None:
    """Raise EntityExpansionError if the entity references of the file that `read_blocks` reads (from its start,
    each time it is called) would add more than `limit` characters."""
    values = _declarations(read_blocks())
    sizes = _expanded_sizes(values, limit)
    if not sizes:
        return
    # The scan below also meets the references inside the declarations, which expand only where they are used.
    added = -sum(sizes.get(m[1].decode("utf-8", "replace"), 0) for v in values.values() for m in _REFERENCE.finditer(v))
    for match in _matches(_REFERENCE, read_blocks()):
        added += sizes.get(match[1].decode("utf-8", "replace"), 0)
        if added > limit:
            raise EntityExpansionError(
                f"its entity references would expand it by more than {limit:,} characters (a billion-laughs "
                "file?); crm-kg refuses such RDF/XML"
            )


def _matches(pattern: re.Pattern[bytes], blocks: Iterable[bytes]) -> Iterator[re.Match[bytes]]:
    """Every match of `pattern` in the concatenated blocks, each once; a match may span blocks (up to _OVERLAP)."""
    pending = b""
    for block in blocks:
        text = pending + block
        keep_from = max(len(text) - _OVERLAP, 0)
        for match in pattern.finditer(text):
            if match.end() > keep_from:  # it may go on in the next block: look again with it
                keep_from = min(keep_from, match.start())
                break
            yield match
        pending = text[keep_from:]
    yield from pattern.finditer(pending)


def _declarations(blocks: Iterable[bytes]) -> dict[str, bytes]:
    """The general entities the file declares, name to replacement text (parameter entities (%) only expand inside
    the DTD, where no statement is)."""
    found: dict[str, bytes] = {}
    for match in _matches(_ENTITY, blocks):
        if match[2] is None:
            raise EntityExpansionError(
                "it declares an entity that is external or longer than 1 MiB; crm-kg reads only short internal ones"
            )
        if not match[1]:
            found.setdefault(match[2].decode("utf-8", "replace"), match[3] if match[3] is not None else match[4])
    return found


def _expanded_sizes(values: dict[str, bytes], limit: int) -> dict[str, int]:
    """Each entity's length once expanded, entities within entities included."""
    sizes: dict[str, int] = {}

    def size(name: str, seen: tuple[str, ...]) -> int:
        if name in sizes:
            return sizes[name]
        if name in seen:
            raise EntityExpansionError(f"entity &{name}; refers to itself")
        if len(seen) > _MAX_DEPTH:
            raise EntityExpansionError(f"entities are nested more than {_MAX_DEPTH} deep (in &{name};)")
        value = values[name]
        total = len(value)
        for match in _REFERENCE.finditer(value):
            inner = match[1].decode("utf-8", "replace")
            if inner in values:
                total += size(inner, (*seen, name)) - len(match[0])
            if total > limit:
                raise EntityExpansionError(
                    f"entity &{name}; would expand to more than {limit:,} characters (a billion-laughs file?); "
                    "crm-kg refuses such RDF/XML"
                )
        sizes[name] = total
        return total

    for name in values:
        size(name, ())
    return sizes
