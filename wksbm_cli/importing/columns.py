"""Problems only a whole column shows: what a spreadsheet did to it before the file reached wksbm.

Each row's values can look right while the column as a whole says they are not:

- a NIK column in which every NIK ends in 0 was rounded by a spreadsheet (15 significant
  digits: 3513132010460046 became 3513132010460050) and saved back as 16-digit text. A real NIK
  ends in 0 one time in ten; five different ones by chance is 1 in 100,000 (one person's NIK
  on five cases is one NIK).
- an XLSX date column mixing dates typed as text that can only be day first (25/11/2019) with
  date cells whose day is never above 12: an office program in an English locale read DD/MM as
  MM/DD when the file was converted, making cells of the dates it could read that way (05/11/2019
  became 11 May) and leaving the others as text. A right date cell has a day up to 12 four times
  in ten, so a few such cells say little: it takes three.

A ColumnWatch sees every row of one file (a few operations per row, on the fields it watches
only) and gives each such column one problem at the end.
"""

import datetime as dt
import re
from typing import Any

from wksbm_cli.i18n import _

ROUNDED_AT_LEAST = 5  # different NIKs in a column before "every one ends in 0" says it was rounded
MONTH_FIRST_CELLS_AT_LEAST = 3  # date cells, none with a day above 12, before they look read month first
# The date fields of each kind of record (the table it is stored in).
DATE_FIELDS = {"villages": ("formed_on",), "institutions": ("joined_on",), "activities": ("held_on",),
               "cases": ("reported_on", "resolved_on")}
_DAY_FIRST_ONLY = re.compile(r"\s*(1[3-9]|2[0-9]|3[01])[/.-](0?[1-9]|1[0-2])[/.-][0-9]{2,4}\s*")


class ColumnWatch:
    """What one file's watched columns look like as a whole; `problems()` at its end."""

    def __init__(self, table_name: str, xlsx: bool):
        self.nik = table_name == "cases"
        self.niks = self.nik_zeros = self.nik_rows_ok = 0
        self.distinct_niks: set[str] = set()  # up to ROUNDED_AT_LEAST of them: enough to tell
        # Date cells only come from XLSX: elsewhere there is nothing to compare.
        self.dates = {name: _Dates() for name in DATE_FIELDS.get(table_name, ())} if xlsx else {}

    def row(self, record: dict[str, Any], ok: bool) -> None:
        """Note one row's watched values; `ok` if the row passed its rules."""
        if self.nik:
            nik = record.get("nik")
            if nik.__class__ is str and nik and "*" not in nik:
                nik = nik.strip()
                if nik:
                    self.niks += 1
                    self.nik_zeros += nik[-1] == "0"
                    self.nik_rows_ok += ok
                    if len(self.distinct_niks) < ROUNDED_AT_LEAST:
                        self.distinct_niks.add(nik)
        for name, dates in self.dates.items():
            value = record.get(name)
            if isinstance(value, dt.date):
                dates.cells += 1
                dates.cells_ok += ok
                if value.day > 12:
                    dates.day_above_12 = True
            elif value.__class__ is str and _DAY_FIRST_ONLY.fullmatch(value):
                dates.texts += 1
                if dates.example is None:
                    dates.example = value.strip()

    def niks_passed(self, niks: list[str]) -> None:
        """row(record, True) of rows that passed their rules, whose NIKs given (none blank or masked) are `niks`
        and which hold no watched date cell."""
        self.niks += len(niks)
        self.nik_rows_ok += len(niks)
        self.nik_zeros += [nik[-1] for nik in niks].count("0")
        for nik in niks:
            if len(self.distinct_niks) >= ROUNDED_AT_LEAST:
                break
            self.distinct_niks.add(nik)

    def problems(self) -> list[tuple[str, str, int]]:
        """(field, reason, rows it adds to the problem rows) of each column that looks changed by a spreadsheet."""
        found = []
        if self.nik and len(self.distinct_niks) >= ROUNDED_AT_LEAST and self.nik_zeros == self.niks:
            found.append(("nik", rounded_niks(self.niks), self.nik_rows_ok))
        for name, dates in self.dates.items():
            if dates.cells >= MONTH_FIRST_CELLS_AT_LEAST and dates.texts and not dates.day_above_12:
                reason = _("{cells} date cells look read month first by an office program (none has a day above 12, "
                           "while dates typed as text, such as {example}, can only be day first): check the date cells "
                           "and retype them as DD/MM/YYYY text or fix the dates")
                found.append((name, reason.format(cells=dates.cells, example=dates.example),
                              dates.cells_ok))
        return found


def rounded_niks(count: int) -> str:
    """The reason a NIK column is refused as rounded by a spreadsheet."""
    return _("the NIK column looks rounded by a spreadsheet (all {count} NIKs end in 0): format the NIK column "
             "as Text in the original file and type the NIKs again").format(count=count)


class _Dates:
    """One date column: its date cells (and whether any has a day above 12) and its day-first-only text dates."""

    __slots__ = ("cells", "cells_ok", "day_above_12", "texts", "example")

    def __init__(self):
        self.cells = self.cells_ok = self.texts = 0
        self.day_above_12 = False
        self.example: str | None = None
