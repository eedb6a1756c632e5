"""A MOLIT month's fixture rows pooled from its files and re-paged the way the real service pages them.

The client under test chooses ``numOfRows`` (MOLIT_PAGE_SIZE) and walks ``pageNo``; the fixtures are
written at one page size. Pooling the ``<item>`` rows of every file of a month and cutting them again
lets any page size be tested against the same month, keeping the file's ``totalCount``. A request that
is exactly what a single file holds gets that file byte for byte, so formatting quirks of a real answer
(the pretty-printed file) reach the parser as they are.
"""

from __future__ import annotations

import re

from tests.support.fixture_upstream.answers import read_fixture

_ITEM = re.compile(r"<item>.*?</item>", re.DOTALL)
_TOTAL = re.compile(r"<totalCount>\s*(\d+)\s*</totalCount>")


class Dataset:
    """The rows of one month, pooled from one or more files, re-paged on demand."""

    def __init__(self, files: list[str]) -> None:
        texts = [read_fixture(f).decode("utf-8") for f in files]
        self.files = files
        self.items = [m.group(0) for text in texts for m in _ITEM.finditer(text)]
        totals = [int(m.group(1)) for text in texts if (m := _TOTAL.search(text))]
        self.total = totals[0] if totals else len(self.items)

    def page(self, page_no: int, num_of_rows: int) -> bytes:
        if len(self.files) == 1 and page_no == 1 and num_of_rows >= len(self.items):
            return read_fixture(self.files[0])
        start = (page_no - 1) * num_of_rows
        rows = self.items[start : start + num_of_rows]
        return envelope("000", "OK", rows, num_of_rows, page_no, self.total)


def envelope(code: str, msg: str, rows: list[str], num_of_rows: int, page_no: int, total: int) -> bytes:
    """A MOLIT XML answer around `rows` (``<items/>`` when there are none)."""
    items = "<items>" + "".join(rows) + "</items>" if rows else "<items/>"
    return (
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
        f"<response><header><resultCode>{code}</resultCode><resultMsg>{msg}</resultMsg></header>"
        f"<body>{items}<numOfRows>{num_of_rows}</numOfRows><pageNo>{page_no}</pageNo>"
        f"<totalCount>{total}</totalCount></body></response>"
    ).encode()
