"""历史办件导入 (see `jobs` for how an import runs, `format` for the file format)."""

from .format import COLUMNS, HEADERS, template_rows
from .jobs import (
    MAX_FILE_BYTES,
    discard_import,
    file_format,
    launch,
    retry_import,
    run_import,
    start_import,
)

__all__ = [
    "COLUMNS",
    "HEADERS",
    "MAX_FILE_BYTES",
    "discard_import",
    "file_format",
    "launch",
    "retry_import",
    "run_import",
    "start_import",
    "template_rows",
]
