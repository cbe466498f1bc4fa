"""Excel: rows of a set height and nothing else, made and written cheaply.

The sheet 「指標」 has seventeen such rows per KPI (its chart's block), and an
``openpyxl`` row dimension set through its descriptors, then written by
reading them back one by one, cost about as much as the rest of the block.
``FixedRow`` is the same row dimension made without its descriptors and written
from its attributes as openpyxl worked them out once for that height.

It relies on two things of openpyxl (3.1) that are not its public interface: a
descriptor keeps its value in the instance's ``__dict__``, and the sheet's
writer takes a row's attributes by iterating its dimension
(``WorksheetWriter.write_row``). ``tests/formats/xlsx/test_rows.py`` pins both
by comparing a FixedRow and the sheet it is written in with openpyxl's own.
"""

from __future__ import annotations

from openpyxl.worksheet.dimensions import RowDimension

# openpyxl's attributes of a row of each height, worked out once per height.
_WRITTEN: dict[float, tuple[tuple[str, str], ...]] = {}


class FixedRow(RowDimension):
    """A row ``points`` high: no style, never hidden, grouped or changed once made."""

    def __init__(self, sheet, index: int, points: float):
        if points not in _WRITTEN:
            _WRITTEN[points] = tuple(RowDimension(sheet, index=index, ht=points))
        object.__setattr__(self, "parent", sheet)
        object.__setattr__(self, "_style", None)
        self.__dict__.update(
            index=index,
            ht=points,
            hidden=False,
            outlineLevel=0,
            collapsed=False,
            thickBot=False,
            thickTop=False,
        )

    def __setattr__(self, name, value):
        # What it writes was worked out when it was made: a change would not be written.
        raise AttributeError(f"FixedRow cannot be changed ({name})")

    def __iter__(self):
        return iter(_WRITTEN[self.__dict__["ht"]])
