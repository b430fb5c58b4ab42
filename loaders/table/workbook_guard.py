"""What an .xlsx file holds, checked before openpyxl reads it: how much it unpacks to, and no DTD.

An .xlsx is a zip of XML parts. A 199 KB file that unpacks to one 200 MB cell cost 2.3 GB of memory (openpyxl and
pandas hold about 11 times what they unpack), and a DTD in a part (entities, external or nested) is never in a
workbook Excel writes. Both are found in one streaming pass over the parts, counting the bytes actually unpacked
(not the sizes the zip declares) and stopping at the limit, so the check itself costs little memory.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_UNPACKED = 128 * 1024 * 1024  # bytes of XML a workbook may unpack to (a 100,000-row sheet is about 60 MB)
_BLOCK = 1 << 20


class WorkbookRefused(ValueError):
    """The workbook unpacks to more than the limit, or holds a DTD."""


def check_workbook(path: Path, limit: int = MAX_UNPACKED) -> None:
    unpacked = 0
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            tail = b""
            with archive.open(member) as part:
                while block := part.read(_BLOCK):
                    unpacked += len(block)
                    if unpacked > limit:
                        raise WorkbookRefused(
                            f"it unpacks to more than {limit // (1024 * 1024)} MiB, the most crm-kg reads from a "
                            "workbook (a zip bomb?); save the sheet as CSV"
                        )
                    if b"<!DOCTYPE" in tail + block or b"<!ENTITY" in tail + block:
                        raise WorkbookRefused(
                            f"its part {member.filename} declares a DTD, which no workbook Excel writes holds"
                        )
                    tail = block[-16:]
