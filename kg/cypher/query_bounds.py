"""Refuse, before it is sent, Cypher text that would cost the server more to parse than any query is worth.

The embedded server's parser takes time quadratic in the number of label and relationship-type alternatives in a
query (`:A|B|…`; measured on it: 20,000 took 4 s, 40,000 11 s, 80,000 40 s, and the page accepts 1 MB, about
500,000), and a query still being parsed is not yet among the server's running queries, so neither a time limit nor
a client that goes away can end it. Other long texts parse in linear time but are just as unstoppable (a list of
400,000 numbers: 14 s). Both bounds hold on every engine, so that a query that runs on one runs on the other.
"""

from __future__ import annotations

from kg.core.errors import QueryTextRefused
from kg.cypher.read_only import tokens

MAX_QUERY_CHARACTERS = 128 * 1024
# `|` and `&` outside strings, comments and names: label and type alternatives, and the bar of a list or pattern
# comprehension. A thousand parse in milliseconds; a person writes a few dozen at most.
MAX_ALTERNATIVES = 1_000


def check_query_size(text: str) -> None:
    """Raise QueryTextRefused when `text` is longer than MAX_QUERY_CHARACTERS or holds more than MAX_ALTERNATIVES `|`
    and `&` (an unclosed string or comment is refused too, from the lexer)."""
    if len(text) > MAX_QUERY_CHARACTERS:
        raise QueryTextRefused(
            f"the query is {len(text):,} characters long; at most {MAX_QUERY_CHARACTERS:,} are accepted "
            "(pass long lists of values as parameters)"
        )
    bars = [token for token in tokens(text) if token.is_symbol("|") or token.is_symbol("&")]
    if len(bars) > MAX_ALTERNATIVES:
        beyond = bars[MAX_ALTERNATIVES]
        raise QueryTextRefused(
            f"the query holds {len(bars):,} label or type alternatives (| or &) and at most {MAX_ALTERNATIVES:,} "
            f"are accepted (number {MAX_ALTERNATIVES + 1:,} is at line {beyond.line}, column {beyond.column}); "
            "match a property against a list parameter instead"
        )
