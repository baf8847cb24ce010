"""Shared set-up of the cases benchmarks: a throw-away data folder (SQLite) or database
(PostgreSQL when DATABASE_URL is set), the migrations, the demo organisation and catalog, and
timing helpers. Not a test: run cases_import.py and cases_figures.py beside it.
"""

import importlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def prepare_environment() -> tuple[Path, str | None]:
    """A fresh data folder; with DATABASE_URL a fresh PostgreSQL database beside the given one."""
    data_dir = Path(tempfile.mkdtemp(prefix="ck-cases-bench-"))
    os.environ["CHUANGKOU_DATA_DIR"] = str(data_dir)
    created_db = None
    url = os.environ.get("DATABASE_URL")
    if url:
        import psycopg

        base, _, _ = url.rpartition("/")
        created_db = f"ck_cases_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{created_db}"')
        os.environ["DATABASE_URL"] = f"{base}/{created_db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir, created_db


def cleanup(data_dir: Path, created_db: str | None) -> None:
    from django.db import connections

    connections.close_all()
    shutil.rmtree(data_dir, ignore_errors=True)
    if created_db:
        import psycopg

        base, _, _ = os.environ["DATABASE_URL"].rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{created_db}" WITH (FORCE)')


def load_organisation() -> None:
    """The demo accounts, 下城区 organisation (≈64 windows) and catalog (≈90 matters)."""
    from django.db import transaction

    with transaction.atomic():
        for module in ("chuangkou.core.demo", "chuangkou.org.demo", "chuangkou.catalog.demo"):
            importlib.import_module(module).load()


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.cursor().connection.info.server_version}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


@contextmanager
def stopwatch(into: list[float]):
    start = time.perf_counter()
    yield
    into.append(time.perf_counter() - start)


def median(values: list[float]) -> float:
    return statistics.median(values)


def table(headers: list[str], rows: list[list]) -> str:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).rjust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)
