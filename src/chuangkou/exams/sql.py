"""Fixed statements of the exams' hot path (submitting: issue 9), built once per process.

The ORM spends more CPU building a statement than the database spends running it (about as
much as the scoring itself); the statements of submitting are few and always the same, so they
are written here once, and their columns converted as the ORM would (core.rows)."""

import json
from functools import lru_cache

from django.db import connection

from chuangkou.core import audit
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
    return _own_attempt()


def _own_attempt(more: str = "") -> tuple[str, RowLoader, RowLoader, RowLoader, RowLoader]:
    """own_attempt_query's statement, with `more` (", <column>…") after its columns."""
    attempts, exams, papers, staff = (RowLoader(m) for m in (Attempt, Exam, Paper, Staff))
    sql = (
        f"SELECT {attempts.columns('a')}, {exams.columns('e')}, {papers.columns('p')}, "  # noqa: S608
        f"{staff.columns('s')}{more} FROM {table(Attempt)} a "
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


def _pool_column(exam_id: str) -> str:
    """The exam's graders with their load (as grader_pool_query) as JSON, [[user id, answers
    left], …] (NULL or [] without graders), for an open item's row only (a CASE: the
    subquery runs for no other item)."""
    through = Exam.graders.through
    exam_column = column(through, Exam.graders.field.m2m_field_name())
    user_column = column(through, Exam.graders.field.m2m_reverse_field_name())
    load = (
        f"(SELECT COUNT(*) FROM {table(Grade)} gr "  # noqa: S608
        f"JOIN {table(AttemptItem)} gi ON gi.id = gr.{column(Grade, 'item')} "
        f"JOIN {table(Attempt)} ga ON ga.id = gi.{column(AttemptItem, 'attempt')} "
        f"WHERE gr.{column(Grade, 'grader')} = g.{user_column} AND gr.{column(Grade, 'score')} "
        f"IS NULL AND ga.{column(Attempt, 'exam')} = {exam_id})"
    )
    if connection.vendor == "postgresql":
        pairs = f"json_agg(json_build_array(g.{user_column}, {load}))"
    else:
        pairs = f"json_group_array(json_array(g.{user_column}, {load}))"
    return (
        f"CASE WHEN i.{column(AttemptItem, 'kind')} = %s THEN (SELECT {pairs} "  # noqa: S608
        f"FROM {table(through)} g WHERE g.{exam_column} = {exam_id}) END"
    )


@lru_cache(maxsize=1)
def own_submit_query() -> tuple[str, RowLoader, RowLoader, RowLoader, RowLoader]:
    """The candidate's own attempt as own_attempt_query reads it, with what submitting reads
    before its transaction in the same row: its items as one JSON array (not a row per item:
    the attempt's, exam's and candidate's columns repeated on every row cost more to convert
    than the rest of the read), each [id, kind, points, saved_at as text (see saved_stamp),
    answer, the version's key, the graders' load on an open item (see _pool_column) else
    null] (NULL or [] without items). Parameters: the open kind, the attempt, the user, the
    draft status."""
    item = [
        "i.id",
        f"i.{column(AttemptItem, 'kind')}",
        f"i.{column(AttemptItem, 'points')}",
        saved_stamp("i"),
        f"i.{column(AttemptItem, 'response')}",
        f"v.{column(QuestionVersion, 'config')}",
        _pool_column(f"a.{column(Attempt, 'exam')}"),
    ]
    if connection.vendor == "postgresql":
        items = f"CAST(json_agg(json_build_array({', '.join(item)})) AS TEXT)"
    else:  # the JSON columns are text there: json() embeds them as JSON
        item[4], item[5], item[6] = (f"json({c})" for c in item[4:])
        items = f"json_group_array(json_array({', '.join(item)}))"
    return _own_attempt(
        f", (SELECT {items} FROM {table(AttemptItem)} i "  # noqa: S608
        f"JOIN {table(QuestionVersion)} v ON v.id = i.{column(AttemptItem, 'version')} "
        f"WHERE i.{column(AttemptItem, 'attempt')} = a.id)"
    )


@lru_cache(maxsize=2)
def lock_query(with_items: bool = True) -> tuple[str, Columns]:
    """The attempt's row locked with its status, deadline and each answer's id and saved_at
    (both as the database gives them: the id an integer, saved_at as text, like
    scored_items_query's); the Columns convert the status and deadline.

    PostgreSQL locks the answers' rows too: a save that holds the attempt FOR SHARE while this
    statement waits for it commits its answer meanwhile, and only a locked row is read again
    at its newest version after the wait (the others come from the statement's snapshot,
    taken before it: the saved answer would look unchanged and stay unscored). So an inner
    join there (a lock cannot take the nullable side of an outer join): an attempt without
    answers gives no row, and `with_items=False` locks the attempt alone."""
    postgresql = connection.vendor == "postgresql"
    columns = f"a.{column(Attempt, 'status')}, a.{column(Attempt, 'deadline')}"
    if not with_items:
        sql = f"SELECT {columns}, NULL, NULL FROM {table(Attempt)} a WHERE a.id = %s"  # noqa: S608
    else:
        sql = (
            f"SELECT {columns}, i.id, {saved_stamp('i')} FROM {table(Attempt)} a "  # noqa: S608
            f"{'' if postgresql else 'LEFT '}JOIN {table(AttemptItem)} i "
            f"ON i.{column(AttemptItem, 'attempt')} = a.id WHERE a.id = %s"
        )
    if postgresql:
        sql += " FOR UPDATE OF a, i" if with_items else " FOR UPDATE"
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


@lru_cache(maxsize=64)
def scores_and_submitted_query(items: int) -> str:
    """PostgreSQL: the last statement of a submit before its audit entry's INSERT: the scores of
    `items` answers and the attempt's state and totals written (data-modifying WITHs run once,
    to completion, whatever the main query reads), and as the main query the audit chain's
    lock with its head (core.audit.LOCK_HEAD, handed to audit.record(head=…)): one round trip
    and one plan instead of three. The attempt's row is locked already (lock_query), so the
    locks are taken in the order they were before. Parameters: (item id, score) per item,
    then submitted_query's, then audit.lock_head_params()."""
    ids, scores = field(AttemptItem, "id"), field(AttemptItem, "score")
    casts = [f"CAST(%s AS {f.cast_db_type(connection)})" for f in (ids, scores)]
    row = f"({', '.join(casts)})"
    update, _ = submitted_query()
    return (
        f"WITH scored AS (UPDATE {table(AttemptItem)} SET {column(AttemptItem, 'score')} = "  # noqa: S608
        f"v.column2 FROM (VALUES {', '.join([row] * items)}) AS v "
        f"WHERE {table(AttemptItem)}.id = v.column1), submitted AS ({update}) {audit.LOCK_HEAD}"
    )
