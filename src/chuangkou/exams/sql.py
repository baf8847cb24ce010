"""Fixed statements of the exams' hot path (submitting: issue 9), built once per process.

The ORM spends more CPU building a statement than the database spends running it (about as
much as the scoring itself); the statements of submitting are few and always the same, so they
are written here once, and their columns converted as the ORM would (core.rows)."""

import json
from functools import lru_cache

from django.db import connection

from chuangkou.core.rows import Columns, RowLoader
from chuangkou.org.models import Staff

from .models import Attempt, AttemptItem, Exam, Grade, Paper, QuestionVersion

MAX_ID = 2**63 - 1  # beyond it no row matches (PostgreSQL's bigint and SQLite refuse the value)


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def field(model, name: str):
    return model._meta.get_field(name)


def saved_stamp(alias: str) -> str:
    """An answer's saved_at as text, as the database keeps it: two reads of it are compared (has
    the answer changed since it was scored?) and never shown, so it is not turned into a
    datetime (a third of the CPU of reading the answers)."""
    return f"CAST({alias}.{column(AttemptItem, 'saved_at')} AS TEXT)"


@lru_cache(maxsize=512)
def _parsed_config(text: str) -> dict:
    return json.loads(text)


def version_config(raw) -> dict:
    """A question version's config (its key) from the JSON text the statement returned, parsed
    once per text: every candidate of a paper is scored against the same few. Only read, never
    changed (the same dict is handed to every caller)."""
    return _parsed_config(raw) if isinstance(raw, str) else raw


# -- the candidate's own attempt ----------------------------------------------------------------


@lru_cache(maxsize=1)
def own_attempt_query() -> tuple[str, RowLoader, RowLoader, RowLoader, RowLoader]:
    """The attempt with its exam, paper and candidate (as select_related would), if the user is
    the candidate and the exam is not a draft."""
    attempts, exams, papers, staff = (RowLoader(m) for m in (Attempt, Exam, Paper, Staff))
    sql = (
        f"SELECT {attempts.columns('a')}, {exams.columns('e')}, {papers.columns('p')}, "  # noqa: S608
        f"{staff.columns('s')} FROM {table(Attempt)} a "
        f"JOIN {table(Exam)} e ON e.id = a.{column(Attempt, 'exam')} "
        f"JOIN {table(Paper)} p ON p.id = e.{column(Exam, 'paper')} "
        f"JOIN {table(Staff)} s ON s.id = a.{column(Attempt, 'staff')} "
        f"WHERE a.id = %s AND s.{column(Staff, 'user')} = %s AND e.{column(Exam, 'status')} <> %s"
    )
    return sql, attempts, exams, papers, staff


# -- submitting ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def scored_items_query() -> tuple[str, Columns]:
    """The attempt's items with what scoring needs: the version's key, the paper's rule."""
    sql = (
        f"SELECT i.id, i.{column(AttemptItem, 'kind')}, i.{column(AttemptItem, 'points')}, "  # noqa: S608
        f"{saved_stamp('i')}, i.{column(AttemptItem, 'response')}, "
        f"v.{column(QuestionVersion, 'config')}, p.{column(Paper, 'multi_rule')} "
        f"FROM {table(AttemptItem)} i "
        f"JOIN {table(QuestionVersion)} v ON v.id = i.{column(AttemptItem, 'version')} "
        f"JOIN {table(Attempt)} a ON a.id = i.{column(AttemptItem, 'attempt')} "
        f"JOIN {table(Exam)} e ON e.id = a.{column(Attempt, 'exam')} "
        f"JOIN {table(Paper)} p ON p.id = e.{column(Exam, 'paper')} "
        f"WHERE i.{column(AttemptItem, 'attempt')} = %s"
    )
    converted = Columns(
        field(AttemptItem, "id"),
        field(AttemptItem, "kind"),
        field(AttemptItem, "points"),
        None,  # saved_at as text
        field(AttemptItem, "response"),
        None,  # the config's JSON text: see version_config
        field(Paper, "multi_rule"),
    )
    return sql, converted


@lru_cache(maxsize=1)
def lock_query() -> tuple[str, Columns]:
    """The attempt's row locked (only it) with its status, deadline and each answer's id and
    saved_at (both as the database gives them: the id an integer, saved_at as text, like
    scored_items_query's); the Columns convert the status and deadline."""
    lock = " FOR UPDATE OF a" if connection.vendor == "postgresql" else ""
    sql = (
        f"SELECT a.{column(Attempt, 'status')}, a.{column(Attempt, 'deadline')}, i.id, "  # noqa: S608
        f"{saved_stamp('i')} FROM {table(Attempt)} a "
        f"LEFT JOIN {table(AttemptItem)} i ON i.{column(AttemptItem, 'attempt')} = a.id "
        f"WHERE a.id = %s{lock}"
    )
    return sql, Columns(field(Attempt, "status"), field(Attempt, "deadline"))


@lru_cache(maxsize=1)
def grader_pool_query() -> str:
    """The exam's graders, each with how many answers of the exam they still have to grade."""
    through = Exam.graders.through
    exam_column = column(through, Exam.graders.field.m2m_field_name())
    user_column = column(through, Exam.graders.field.m2m_reverse_field_name())
    return (
        f"SELECT g.{user_column}, (SELECT COUNT(*) FROM {table(Grade)} r "  # noqa: S608
        f"JOIN {table(AttemptItem)} i ON i.id = r.{column(Grade, 'item')} "
        f"JOIN {table(Attempt)} a ON a.id = i.{column(AttemptItem, 'attempt')} "
        f"WHERE r.{column(Grade, 'grader')} = g.{user_column} AND r.{column(Grade, 'score')} "
        f"IS NULL AND a.{column(Attempt, 'exam')} = %s) "
        f"FROM {table(through)} g WHERE g.{exam_column} = %s"
    )


SUBMIT_FIELDS = (
    "status",
    "submitted_at",
    "auto_submitted",
    "objective_score",
    "subjective_score",
    "graded",
    "total_score",
)


@lru_cache(maxsize=1)
def submitted_query() -> tuple[str, list]:
    """One attempt's state and totals written at submitting (the fields of SUBMIT_FIELDS)."""
    fields = [field(Attempt, name) for name in SUBMIT_FIELDS]
    sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    return f"UPDATE {table(Attempt)} SET {sets} WHERE id = %s", fields  # noqa: S608
