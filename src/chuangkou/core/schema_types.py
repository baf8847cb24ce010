"""Bounded types for ninja schemas and query parameters: what the database can hold.

`DbId` is an id PostgreSQL's bigint and SQLite's INTEGER can compare with (1 … 2**63-1);
`SaneDate` a date in 2000-01-01 … 2100-12-31 (periods beyond would overflow the day arithmetic
of the reports); `Text` a string without NUL (PostgreSQL refuses it). Out-of-range values are a
422 with a Chinese message (`core.params.explain`), never a 500.
"""

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field

from .params import FIRST_DAY, LAST_DAY, MAX_ID, NUL_MESSAGE, check_day


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError(NUL_MESSAGE)
    return text


DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
SaneDate = Annotated[
    dt.date, AfterValidator(check_day), Field(description=f"{FIRST_DAY} 至 {LAST_DAY}")
]
Text = Annotated[str, AfterValidator(_no_nul)]
MAX_PAGE = 1_000_000  # far beyond any list; keeps OFFSET inside the database's integers
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
