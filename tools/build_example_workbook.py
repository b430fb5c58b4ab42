"""Write data/examples/suppliers.xlsx, the example supplier list for `kg load FILE.xlsx --mapping …`.

Run once; the workbook is committed. Its document properties and zip entries carry a fixed date, so that running
it again gives the same bytes. The rows are illustrative (tiers, spend, contract dates are made up); the names of
companies, countries and components are those of the bundled dataset, so that the mapping links to them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).resolve().parent.parent / "data" / "examples" / "suppliers.xlsx"
FIXED = dt.datetime(2025, 11, 30, 12, 0, 0)

HEADER = ["Supplier", "Country", "Tier", "Sole source", "Supplies", "Annual spend (kEUR)", "Contract since",
          "Certifications"]
ROWS: list[list[object]] = [
    ["Bosch", "Germany", 1, "no", "ABS/ESC brake-control system; Wheel-speed sensor", 18250.5, dt.date(2016, 4, 1),
     "IATF 16949; ISO 14001"],
    ["Continental", "Germany", 1, "no", "Wheel-speed sensor", 6400, dt.date(2018, 1, 15), "IATF 16949"],
    ["Brembo", "Italy", 1, "yes", None, 9800, dt.date(2019, 3, 1), "IATF 16949; ISO 14001"],
    ["ZF Friedrichshafen", "Germany", 1, "yes", "Electric power steering system", 22100, dt.date(2015, 9, 1),
     "IATF 16949; ISO 50001"],
    ["Nidec", "Japan", 2, "no", "Electric power steering motor", 3900, dt.date(2020, 6, 1), "IATF 16949"],
    ["TDK", "Japan", 2, "no", "NdFeB sensor magnet (Dy-doped)", 640, dt.date(2021, 2, 1), "IATF 16949"],
    ["Hella", "Germany", 2, "no", "Brake sensor", 1150, dt.date(2017, 10, 1), "IATF 16949"],
    ["Bourns", "United States", 2, "yes", None, 720, dt.date(2022, 5, 16), "IATF 16949"],
    ["Nexperia", "Netherlands", 2, "yes", "Discrete and logic semiconductors", 380, dt.date(2019, 1, 1),
     "IATF 16949"],
    ["Infineon Technologies", "Germany", 2, "no", "Microcontroller; Silicon power semiconductor (IGBT/MOSFET)", 2900,
     dt.date(2016, 4, 1), "IATF 16949; ISO 14001"],
    ["Ningbo Yunsheng", "China", 3, "yes", "NdFeB sensor magnet (Dy-doped)", 210, dt.date(2023, 7, 1), None],
]


def build(out: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Suppliers"
    sheet["A1"] = "ACME Automotive: brake and steering suppliers (illustrative example)"
    sheet["A1"].font = Font(bold=True)
    for column, title in enumerate(HEADER, start=1):  # row 2 stays empty; the header is row 3
        sheet.cell(row=3, column=column, value=title).font = Font(bold=True)
    for offset, row in enumerate(ROWS):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=4 + offset, column=column, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGH", (24, 16, 6, 12, 56, 20, 15, 28), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = workbook.create_sheet("Notes")
    notes["A1"] = "Illustrative data for crm-kg's spreadsheet loader; see data/examples/README.md."
    notes["A2"] = "Supplies: components of the crm-kg dataset, by name, separated by ';'."
    workbook.properties.creator = "crm-kg"
    workbook.properties.created = FIXED
    buffer = io.BytesIO()
    workbook.save(buffer)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(_fixed_dates(buffer.getvalue()))


def _fixed_dates(xlsx: bytes) -> bytes:
    """The same workbook with the save time (which openpyxl always sets to now) replaced by FIXED."""
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ")
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(<)", rf"\g<1>{stamp}\g<2>", data.decode("utf-8"))
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return result.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write it (default: {OUT})")
    build(parser.parse_args().out)


if __name__ == "__main__":
    main()
