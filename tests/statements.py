"""Counting the SQL statements of one operation, for the statement budgets that keep the hot
paths (issue, call-next, submit, grading) from creeping back."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


class Statements(CaptureQueriesContext):
    """The statements run inside the block, savepoints left out."""

    def __init__(self):
        super().__init__(connection)

    @property
    def sql(self) -> list[str]:
        return [
            q["sql"]
            for q in self.captured_queries
            if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        ]

    def __len__(self) -> int:
        return len(self.sql)

    def report(self) -> str:
        return "\n".join(s[:160] for s in self.sql)
