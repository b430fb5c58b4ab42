r"""Refuse, before it is sent, read-only Cypher text that could write to the graph or read the server's files.

The embedded default accepts writes in a READ session, and some of them cannot be rolled back or are not counted
(`CALL { … } IN TRANSACTIONS` commits on its own; `CREATE INDEX`, `DROP CONSTRAINT` and new labels change the
schema outside the transaction; procedures such as `merge.node` report no counters; `LOAD CSV` reads files). So a
read-only query must not contain any clause that writes, nor a procedure CALL outside a short list of read ones.

The text is lexed as Neo4j's Cypher 25 lexer does (the grammar ArcadeDB uses too): comments, strings with backslash
escapes and backticked names are skipped; `n.set`, `{create: 1}`, `:Create` and `$set` are names, not clauses.
The lexer must end each comment and string exactly where the server does, or a quote could hide a clause from
it: a line comment ends at \r or \n only; a backslash in a string takes the next character with it, whatever it
is (ArcadeDB keeps an unknown escape such as `\q` as it is); block comments do not nest. A string, comment or
backticked name left open is refused rather than guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kg.core.errors import QueryTextRefused

# Read procedures a read-only query may CALL. Only what a person exploring the graph needs: names of labels,
# relationship types and property keys, the schema's shape, and the server's version. Everything else is refused,
# because ArcadeDB ships procedures that write without reporting counters (merge.node, merge.relationship,
# refactor.mergeNodes, do.when, the algo.* ones that write properties), Neo4j has dbms.* admin procedures, and an
# unknown name cannot be judged. Index and constraint listings are `SHOW INDEXES` / `SHOW CONSTRAINTS` (read
# commands, allowed); Neo4j 5 has no db.indexes() or dbms.procedures() any more (SHOW PROCEDURES replaces it).
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "dbms.components",
    }
)

# Clause keywords that write, load or administer, refused wherever they stand as a keyword. START and STOP are
# refused only before DATABASE, and TRANSACTIONS only after IN or CONCURRENT (`IN [n] [CONCURRENT] TRANSACTIONS`),
# because `start`, `stop` and `transactions` are common variable names and SHOW TRANSACTIONS is a read.
_WRITE_KEYWORDS = frozenset(
    {
        "CREATE",
        "INSERT",  # GQL's CREATE (Cypher 25)
        "MERGE",
        "DELETE",
        "DETACH",
        "NODETACH",
        "SET",
        "REMOVE",
        "DROP",
        "FOREACH",
        "LOAD",
        "ALTER",
        "RENAME",
        "GRANT",
        "REVOKE",
        "DENY",
        "TERMINATE",
        "ENABLE",
        "DEALLOCATE",
        "REALLOCATE",
        "DRYRUN",
    }
)
_DATABASE_WORDS = frozenset({"DATABASE", "DATABASES"})
# A line comment ends at \r or \n and at nothing else (checked on ArcadeDB: \u2028, \u0085, \x0b and \x0c do not
# end it). Ending it earlier would be no safer: a quote after the break would then open a string that hides a clause.
_LINE_BREAKS = "\r\n"


class Kind(Enum):
    WORD = "word"  # an identifier or keyword, unquoted
    QUOTED = "quoted"  # a backticked name
    PARAMETER = "parameter"  # $name or $0
    NUMBER = "number"
    STRING = "string"
    SYMBOL = "symbol"  # one character of punctuation or operator


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str  # a WORD's spelling; a QUOTED name without its backticks; a SYMBOL's character
    line: int  # 1-based
    column: int  # 1-based

    @property
    def keyword(self) -> str:
        """A WORD in upper case, to compare with keywords; '' for anything else (a backticked name is a name).
        Python's upper() maps a few letters outside ASCII to ASCII ones (the long s to S, the Kelvin sign to K), so
        a spelling the server might read as a keyword is refused too."""
        return self.text.upper() if self.kind is Kind.WORD else ""

    def is_symbol(self, char: str) -> bool:
        return self.kind is Kind.SYMBOL and self.text == char

    @property
    def where(self) -> str:
        return f"{self.line}:{self.column}"


def tokens(text: str) -> list[Token]:
    """The tokens of a Cypher text, without whitespace and comments.

    Raises QueryTextRefused for a string, comment or backticked name that is never closed.
    """
    return _Lexer(text).tokens()


class _Lexer:
    """One pass over a text: `i` is where it stands, `line` and `line_start` where that is for a person."""

    def __init__(self, text: str) -> None:
        self.text, self.end = text, len(text)
        self.i, self.line, self.line_start = 0, 1, 0
        self.found: list[Token] = []

    def tokens(self) -> list[Token]:
        text = self.text
        while self.i < self.end:
            char = text[self.i]
            if char.isspace():
                self.advance(self.i + 1)
            elif text.startswith("//", self.i):
                self.line_comment()
            elif text.startswith("/*", self.i):
                self.block_comment()
            elif char in "'\"":
                self.string(char)
            elif char == "`":
                self.backticked()
            elif char == "$":
                self.parameter()
            elif char.isdigit():
                self.number()
            elif _is_word_char(char):
                self.take(Kind.WORD, self.word_end(self.i + 1))
            else:
                self.found.append(Token(Kind.SYMBOL, char, *self.position(self.i)))
                self.advance(self.i + 1)
        return self.found

    def position(self, at: int) -> tuple[int, int]:
        # Line and column of `at`, counting lines from line_start (kept up to date by `advance`).
        return self.line, at - self.line_start + 1

    def advance(self, to: int) -> None:
        # Move past text[i:to], counting the line breaks it holds (\r\n is one break).
        text, j = self.text, self.i
        while j < to:
            char = text[j]
            if char in _LINE_BREAKS:
                if char == "\r" and j + 1 < self.end and text[j + 1] == "\n":
                    j += 1
                self.line += 1
                self.line_start = j + 1
            j += 1
        self.i = to

    def take(self, kind: Kind, stop: int, value: str | None = None) -> None:
        """A token from i to stop (its text, unless given), and on past it."""
        self.found.append(Token(kind, self.text[self.i : stop] if value is None else value, *self.position(self.i)))
        self.advance(stop)

    def unclosed(self, what: str, at: tuple[int, int]) -> QueryTextRefused:
        return QueryTextRefused(f"Cypher syntax error at line {at[0]}, column {at[1]}: {what} is never closed")

    def word_end(self, stop: int) -> int:
        while stop < self.end and _is_word_char(self.text[stop]):
            stop += 1
        return stop

    def digits_end(self, stop: int) -> int:
        while stop < self.end and self.text[stop].isdigit():
            stop += 1
        return stop

    def line_comment(self) -> None:
        stop = self.i + 2
        while stop < self.end and self.text[stop] not in _LINE_BREAKS:
            stop += 1
        self.advance(stop)

    def block_comment(self) -> None:
        stop = self.text.find("*/", self.i + 2)  # not nested, as in Cypher
        if stop < 0:
            raise self.unclosed("a /* comment", self.position(self.i))
        self.advance(stop + 2)

    def string(self, quote: str) -> None:
        stop = self.i + 1
        while stop < self.end and self.text[stop] != quote:
            stop += 2 if self.text[stop] == "\\" else 1
        if stop >= self.end:
            raise self.unclosed("a string", self.position(self.i))
        self.take(Kind.STRING, stop + 1, self.text[self.i + 1 : stop])

    def backticked(self) -> None:
        stop, name = self.i + 1, []
        while True:
            close = self.text.find("`", stop)
            if close < 0:
                raise self.unclosed("a `backticked name", self.position(self.i))
            name.append(self.text[stop:close])
            if not self.text.startswith("``", close):
                break
            name.append("`")  # a doubled backtick is one backtick of the name
            stop = close + 2
        self.take(Kind.QUOTED, close + 1, "".join(name))

    def parameter(self) -> None:
        stop = self.i + 1
        if stop < self.end and self.text[stop] == "`":  # $`a name`: the name is lexed as a backticked name next
            self.take(Kind.PARAMETER, stop, "")
            return
        stop = self.word_end(stop)
        self.take(Kind.PARAMETER, stop, self.text[self.i + 1 : stop])

    def number(self) -> None:
        # Digits only, with a fraction when a digit follows the point: `1CREATE` is two tokens, as the server lexes
        # it, so the word after a number is still looked at.
        stop = self.digits_end(self.i + 1)
        if stop + 1 < self.end and self.text[stop] == "." and self.text[stop + 1].isdigit():
            stop = self.digits_end(stop + 2)
        self.take(Kind.NUMBER, stop)


@dataclass(frozen=True)
class Refusal:
    what: str  # the clause ("DETACH DELETE", "LOAD CSV", "IN TRANSACTIONS", "CALL") or a procedure's name
    line: int
    column: int
    procedure: bool = False
    server_read_procedures: bool = False  # the server's own READ-mode procedures were allowed as well

    @property
    def message(self) -> str:
        where = f"at line {self.line}, column {self.column}"
        if self.procedure:
            allowed = ", ".join(sorted(READ_PROCEDURES, key=str.lower))
            also = " or a procedure the server runs in READ mode" if self.server_read_procedures else ""
            return (
                f"the query calls procedure {self.what} {where}, which may write; a read-only query may call only "
                f"{allowed}{also}"
            )
        if self.what == "LOAD CSV":
            return f"the query would read a file or URL: LOAD CSV {where}"
        return f"the query would write to the graph: {self.what} {where}"


def find_write(text: str, also_allowed: frozenset[str] | None = None) -> Refusal | None:
    """The first clause or procedure CALL in `text` that a read-only query may not run, or None. `also_allowed`:
    procedures to allow besides READ_PROCEDURES (on Neo4j, those it runs in READ mode, which it enforces itself)."""
    toks = tokens(text)
    labels = _label_positions(toks)
    for index, token in enumerate(toks):
        word = token.keyword
        if not word or _is_a_name(toks, index, labels):
            continue
        after = toks[index + 1] if index + 1 < len(toks) else None
        next_word = after.keyword if after is not None else ""
        if word in _WRITE_KEYWORDS:
            return Refusal(_clause_name(word, next_word), token.line, token.column)
        if word in ("START", "STOP") and next_word in _DATABASE_WORDS:
            return Refusal(f"{word} DATABASE", token.line, token.column)
        if word == "TRANSACTIONS":
            start = _in_transactions_start(toks, index)
            if start is not None:
                return Refusal("IN TRANSACTIONS", start.line, start.column)
        if word == "CALL":
            refusal = _check_call(toks, index, also_allowed)
            if refusal is not None:
                return refusal
    return None


def commits_in_batches(text: str) -> bool:
    """True when `text` holds `CALL { … } IN [n] [CONCURRENT] TRANSACTIONS`: Neo4j runs such a query only in an
    auto-commit transaction (it commits its own batches)."""
    toks = tokens(text)
    labels = _label_positions(toks)
    return any(
        token.keyword == "TRANSACTIONS" and not _is_a_name(toks, index, labels)
        and _in_transactions_start(toks, index)
        for index, token in enumerate(toks)
    )


def _is_a_name(toks: list[Token], index: int, labels: set[int]) -> bool:
    """Whether the WORD at `index` is a name in that place, not a keyword: a property (`n.set`, but not after a
    number), a label or relationship type (`:Create`, `[:A|Merge]`, `:A&Set`), or a map key (`{create: 1}`,
    `{a: 1, merge: 2}`)."""
    before = toks[index - 1] if index > 0 else None
    after = toks[index + 1] if index + 1 < len(toks) else None
    if before is None:
        return False
    if index in labels:
        return True
    if before.is_symbol("."):
        owner = toks[index - 2] if index > 1 else None
        return owner is not None and (
            owner.kind in (Kind.WORD, Kind.QUOTED, Kind.PARAMETER) or owner.text in (")", "]", "}")
        )
    return (before.is_symbol("{") or before.is_symbol(",")) and after is not None and after.is_symbol(":")


def _label_positions(toks: list[Token]) -> set[int]:
    """The positions of the names that are labels or relationship types: after `:`, or after `|` or `&` that follow
    a label (`:A|B&C`). One pass, front to back: a text of n alternatives costs n steps, not n² (a label's status
    is decided from the one before it, never by walking back the whole chain)."""
    found: set[int] = set()
    for index in range(1, len(toks)):
        if toks[index].kind not in (Kind.WORD, Kind.QUOTED):
            continue
        before = toks[index - 1]
        if before.is_symbol(":") or (
            (before.is_symbol("|") or before.is_symbol("&")) and index >= 2 and index - 2 in found
        ):
            found.add(index)
    return found


def _clause_name(word: str, next_word: str) -> str:
    if word in ("DETACH", "NODETACH") and next_word == "DELETE":
        return f"{word} DELETE"
    if word == "LOAD":
        return "LOAD CSV"
    return word


def _in_transactions_start(toks: list[Token], index: int) -> Token | None:
    """Where `IN [n] [CONCURRENT] TRANSACTIONS` starts, if the TRANSACTIONS word at `index` ends one: its IN, or the
    CONCURRENT right before it (after any expression); None when TRANSACTIONS is a name (`SHOW TRANSACTIONS`,
    `AS transactions`)."""
    before = toks[index - 1] if index > 0 else None
    if before is not None and before.keyword == "CONCURRENT":
        for back in range(index - 2, max(index - 4, -1), -1):  # IN 3 CONCURRENT, IN $n CONCURRENT
            if toks[back].keyword == "IN":
                return toks[back]
            if toks[back].kind not in (Kind.NUMBER, Kind.PARAMETER):
                break
        return before
    if before is not None and before.keyword == "IN":
        return before
    return None


def _check_call(toks: list[Token], index: int, also_allowed: frozenset[str] | None) -> Refusal | None:
    """CALL { … } and CALL (x) { … } are subqueries (their clauses are scanned like the rest); any other CALL is
    a procedure, allowed only when it is one of READ_PROCEDURES or of `also_allowed`."""
    call = toks[index]
    after = toks[index + 1] if index + 1 < len(toks) else None
    if after is None:
        return Refusal("CALL", call.line, call.column)
    if after.is_symbol("{") or after.is_symbol("("):
        return None
    parts: list[str] = []
    at = index + 1
    while at < len(toks) and toks[at].kind in (Kind.WORD, Kind.QUOTED):
        parts.append(toks[at].text)
        if at + 1 < len(toks) and toks[at + 1].is_symbol("."):
            at += 2
            continue
        break
    if not parts:
        return Refusal("CALL", call.line, call.column)
    name = ".".join(parts)
    if name in READ_PROCEDURES or (also_allowed is not None and name in also_allowed):
        return None
    return Refusal(name, call.line, call.column, procedure=True, server_read_procedures=also_allowed is not None)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"
