"""Reading a spreadsheet as its mapping says: a CSV file (encoding and delimiter detected unless given) or a
workbook's sheet (checked before it is unpacked: `loaders.table.workbook_guard`), into a `Table` of cells with the
row numbers a person sees."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from kg.core.errors import TableError
from loaders.table.spec import TableMapping
from loaders.table.workbook_guard import WorkbookRefused, check_workbook

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_DELIMITERS = ",;\t|"


def is_table_path(path: Path) -> bool:
    """Whether `kg load` should read this file as a spreadsheet (with `--mapping`) rather than as RDF."""
    return path.suffix.lower() in CSV_SUFFIXES + XLSX_SUFFIXES + (".xls",)


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame  # every cell as read: text from a CSV, text/number/date/boolean from a workbook
    row_numbers: list[int]  # each frame row's number as a person sees it (the header is `header_row`)
    where: str  # the file, for messages
    sheet: str | None = None
    notes: tuple[str, ...] = ()  # how it was read, where that was guessed (encoding)


def read_table(path: Path, mapping: TableMapping) -> Table:
    """Read a CSV or XLSX file as the mapping says (sheet, header row, CSV options)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise TableError(f"{path}: no such file")
    if suffix in XLSX_SUFFIXES:
        return _read_workbook(path, mapping)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, mapping)
    if suffix == ".xls":
        raise TableError(f"{path}: the old Excel format (.xls) is not read: save the workbook as .xlsx")
    raise TableError(f"{path}: not a spreadsheet (expected .csv, .tsv or .xlsx)")


def _read_csv(path: Path, mapping: TableMapping) -> Table:
    options = mapping.csv
    raw = path.read_bytes()
    notes: list[str] = []
    if options.encoding is not None:
        try:
            text = raw.decode(options.encoding)
        except UnicodeDecodeError as error:
            raise TableError(f"{path}: not {options.encoding} text (byte {error.start}): set csv.encoding in "
                             f"{mapping.source}") from error
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError as error:
                raise TableError(f"{path}: neither UTF-8 nor Windows-1252 text: set csv.encoding in "
                                 f"{mapping.source}") from error
            notes.append(f"{path}: not UTF-8, read as Windows-1252 (set csv.encoding to be sure)")
    delimiter = options.delimiter or _sniff_delimiter(text, mapping.header_row, path.suffix.lower())
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=delimiter, header=mapping.header_row - 1, dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=False, engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise TableError(f"{path}: cannot read it as CSV (delimiter {delimiter!r}): {message}") from error
    frame.columns = [str(c).strip() for c in frame.columns]
    first = mapping.header_row + 1
    return Table(frame, list(range(first, first + len(frame))), str(path), None, tuple(notes))


def _sniff_delimiter(text: str, header_row: int, suffix: str) -> str:
    if suffix == ".tsv":
        return "\t"
    lines = text.splitlines()[header_row - 1 : header_row + 20]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return ","


def _read_workbook(path: Path, mapping: TableMapping) -> Table:
    try:
        check_workbook(path)
        with pd.ExcelFile(path, engine="openpyxl") as workbook:
            names = [str(n) for n in workbook.sheet_names]
            sheet = mapping.sheet if mapping.sheet is not None else (names[0] if names else None)
            if sheet is None or sheet not in names:
                raise TableError(f"{path}: no sheet {sheet!r} (set `sheet` in {mapping.source}); the sheets are: "
                                 f"{', '.join(repr(n) for n in names)}")
            frame = pd.read_excel(workbook, sheet_name=sheet, header=mapping.header_row - 1, dtype=object,
                                  na_filter=False)
    except TableError:
        raise
    except WorkbookRefused as error:
        raise TableError(f"{path}: refused: {error}") from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError) as error:
        raise TableError(f"{path}: cannot read it as an .xlsx workbook: {error}") from error
    frame.columns = [str(c).strip() for c in frame.columns]
    first = mapping.header_row + 1
    return Table(frame, list(range(first, first + len(frame))), str(path), sheet)
