"""The fast case import: the fast path agrees with the full checks, checked rows wait in a
staging table and are published in one step, and a login during an import goes through."""

import csv
import datetime as dt
import gc
import io
import multiprocessing
import os
import random
import time
import zoneinfo
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from chuangkou.cases.identity import credit_code_check_char, validate_credit_code
from chuangkou.cases.imports import HEADERS, jobs
from chuangkou.cases.imports.checking import Checker, Lookups
from chuangkou.cases.imports.staging import TABLE
from chuangkou.cases.imports.summary import DailyCounts
from chuangkou.cases.models import Case, DailyCaseStats, ImportJob
from chuangkou.cases.services.stats import COUNTS
from chuangkou.core.errors import DomainError
from chuangkou.core.validators import id_check_digit, validate_id_number

from .conftest import person_id
from .test_imports import good_rows, to_csv

pytestmark = pytest.mark.django_db


def checker() -> Checker:
    return Checker(Lookups.load(), zoneinfo.ZoneInfo("Asia/Shanghai"), timezone.now())


def cells(row: dict) -> list:
    return [str(row.get(h, "") or "").strip() for h in HEADERS]


def variants(hall) -> list[dict]:
    """Good rows in the usual and unusual forms, and rows breaking one rule each."""
    base = good_rows(hall)
    first = base[0]
    company = {**base[1], "证件号码": "91330100MA27XY6T0H"}
    bad_code = {**base[1], "证件号码": "91330100MA27XY6T0A"}
    return [
        *base,
        company,
        bad_code,
        {**first, "证件号码": person_id(8).lower()},  # x normalised by the full checks
        {**first, "证件号码": "330103185001010010"},  # born before 1900
        {**first, "证件号码": "330103" + "20991231" + "0013"},  # born in the future
        {**first, "证件号码": person_id(9)[:-1] + "0"},
        {**first, "联系电话": "138 0000 1111"},
        {**first, "联系电话": "0571-87000000"},
        {**first, "联系电话": "12345"},
        {**first, "受理时间": "2017年3月1日 9:30"},
        {**first, "受理时间": "2017-03-01 09:30:15", "办结时间": "2017-03-01 09:30:14"},
        {**first, "受理时间": "2017-02-29 09:30"},
        {**first, "受理时间": "2099-01-01 09:30", "办结时间": "2099-01-02 09:30"},
        {**first, "受理时间": "2017-03-01 25:30"},
        {**first, "状态": "已受理"},
        {**first, "状态": "退件"},
        {**first, "状态": "", "办结时间": ""},
        {**first, "跑动次数": "05"},
        {**first, "跑动次数": "²"},
        {**first, "跑动次数": "21"},
        {**first, "承诺办结日期": "2017-02-28"},
        {**first, "承诺办结日期": "2017-03-09"},
        {**first, "受理渠道": "网上申请"},
        {**first, "窗口号": "Z99"},
        {**first, "受理人工号": "NOBODY"},
        {**first, "申请人": "张\x00三"},
        {**first, "受理编号": "X" * 33},
        {**first, "申请人类型": ""},
        {**first, "事项编码": ""},
    ]


def test_the_fast_path_agrees_with_the_full_checks(hall):
    fast_used = 0
    for row in variants(hall):
        fast, full = checker(), checker()
        got = fast.check_cells(2, cells(row))
        want = full.check(2, dict(zip(HEADERS, cells(row), strict=True)))
        assert got == want, row
        assert [(e.column, e.message) for e in fast.errors] == [
            (e.column, e.message) for e in full.errors
        ], row
        assert (fast.min_date, fast.max_date) == (full.min_date, full.max_date)
        probe = checker()
        fast_used += probe._fast(2, cells(row)) is not None
    assert fast_used >= 5  # the usual rows do take the fast path


def test_a_number_repeated_in_the_file_is_found_on_the_fast_path_too(hall):
    c = checker()
    row = cells(good_rows(hall)[0])
    assert c.check_cells(2, row) is not None
    assert c.check_cells(3, row) is None
    assert [(e.row, e.message) for e in c.errors] == [(3, "与第 2 行重复")]


def test_check_digits_computed_in_one_call_agree_with_the_validators():
    rng = random.Random(7)
    c = Checker.__new__(Checker)
    c._births, c._today = {}, timezone.localdate()
    for _ in range(3000):
        first17 = f"{rng.randint(110000, 659999)}19{rng.randint(50, 99)}0{rng.randint(1, 9)}1"
        first17 += f"{rng.randint(0, 9)}{rng.randint(0, 999):03d}"
        for last in (id_check_digit(first17), rng.choice("0123456789X")):
            value = first17 + last
            try:
                validate_id_number(value)
                ok = True
            except DomainError:
                ok = False
            assert c._person_id_ok(value) == ok, value
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(3000):
        first17 = "".join(rng.choice(chars) for _ in range(17))
        for last in (credit_code_check_char(first17), rng.choice(chars)):
            value = first17 + last
            try:
                validate_credit_code(value)
                ok = True
            except DomainError:
                ok = False
            assert Checker._credit_code_ok(value) == ok, value


def _job(hall, content: bytes, name: str = "历史办件.csv") -> ImportJob:
    job = ImportJob(filename=name, format=jobs.file_format(name), created_by=hall.admin)
    job.file.save(name, ContentFile(content), save=False)
    job.save()
    return job


def _staged() -> int | None:
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608
        except Exception:  # noqa: BLE001 (no such table)
            return None
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_checked_rows_wait_in_the_staging_table_and_are_published_in_one_step(hall):
    job = _job(hall, to_csv(good_rows(hall)))
    checker = jobs.check_file(job, Path(job.file.path), None)
    assert checker.error_count == 0
    assert _staged() == 3 and not Case.objects.exists()  # checked, not yet written
    assert jobs.write_spool(job, None, checker) == 3
    assert Case.objects.filter(import_job=job).count() == 3
    assert _staged() is None  # the staging table is gone
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created == 3


@pytest.mark.django_db(transaction=True)
def test_numbers_already_taken_in_a_later_batch_are_all_listed_and_nothing_is_written(
    hall, monkeypatch
):
    """The file's only errors are numbers already in the system, from the second batch on: on
    PostgreSQL the batch's COPY breaks the unique index (the rows already copied are rolled
    back with the import), on SQLite the staged numbers are joined; every one is listed."""
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 10)
    content = big_csv(hall, 45)
    taken = [17, 18, 40]  # file rows 19, 20 and 42 (second and fourth batch)
    numbers = [line.split(",", 1)[0] for line in content.decode().splitlines()[1:]]
    for i in taken:
        Case.objects.create(
            **{**_case_fields(hall), "number": numbers[i]},
        )
    before = Case.objects.count()
    job = jobs.run_import(_job(hall, content).pk)
    assert job.status == ImportJob.Status.FAILED and job.created == 0
    assert [(e["row"], e["column"]) for e in job.errors] == [(i + 2, "受理编号") for i in taken]
    assert all("已存在于系统中" in e["message"] for e in job.errors)
    assert job.error_count == 3 and job.processed_rows == 45
    assert Case.objects.count() == before and _staged() is None


def _case_fields(hall) -> dict:
    at = timezone.make_aware(timezone.datetime(2016, 5, 3, 9, 0))
    return {
        "matter": hall.matter_a,
        "department": hall.matter_a.department,
        "center": hall.main,
        "channel": Case.Channel.WINDOW,
        "applicant_kind": Case.ApplicantKind.PERSON,
        "applicant_name": "已有",
        "status": Case.Status.ACCEPTED,
        "accepted_at": at,
        "accepted_date": at.date(),
        "due_date": at.date(),
    }


@pytest.mark.django_db(transaction=True)
def test_a_file_with_errors_leaves_no_staging_table_and_writes_nothing(hall):
    rows = good_rows(hall)
    rows.append({**rows[0], "受理编号": "X-1", "事项编码": "NO-SUCH"})
    job = _job(hall, to_csv(rows))
    checker = jobs.check_file(job, Path(job.file.path), None)
    assert checker.error_count == 1 and _staged() is None
    assert not Case.objects.exists()


def big_csv(hall, rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for i in range(rows):
        day = 1 + i % 28
        writer.writerow(
            [
                f"330103-201702{day:02d}-{i:06d}",
                "A-001",
                "窗口受理",
                hall.main.name,
                "A01",
                hall.a1.staff_no,
                "个人",
                f"申请人{i}",
                person_id(i),
                f"139{i:08d}",
                f"2017-02-{day:02d} 09:{i % 60:02d}",
                "已办结",
                f"2017-02-{day:02d} 15:00",
                "1",
                "",
            ]
        )
    return out.getvalue().encode("utf-8")


def _import_in_child(job_id: int) -> None:
    """The import in a forked process (as a task worker runs it), on a connection of its own."""
    code = 1
    try:
        connections.close_all()  # the parent closed them before the fork: nothing shared
        job = jobs.run_import(job_id)
        code = 0 if job.status == ImportJob.Status.DONE else 2
    finally:
        connections.close_all()
        os._exit(code)


@pytest.mark.django_db(transaction=True)
def test_a_login_during_a_large_import_goes_through(hall, monkeypatch):
    """A real concurrent login while another process imports 30,000 rows: on SQLite the checked
    rows are staged without the main database's write lock, so the login neither waits for the
    import nor fails with "database is locked"; the publish is one short step."""
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 1000)
    rows = 30_000
    job = _job(hall, big_csv(hall, rows))
    hall.admin.set_password("import-speed-pw-1")
    hall.admin.save()
    login = {"username": hall.admin.username, "password": "import-speed-pw-1"}
    assert Client().post("/login/", login).status_code == 302  # warm: templates, imports
    connections.close_all()
    importer = multiprocessing.get_context("fork").Process(target=_import_in_child, args=(job.pk,))
    importer.start()
    seen = []

    def status():
        return ImportJob.objects.values_list("status", flat=True).get(pk=job.pk)

    try:
        while importer.is_alive() and status() == ImportJob.Status.PENDING:
            time.sleep(0.02)
        while importer.is_alive():
            before, t = status(), time.monotonic()
            response = Client().post("/login/", login)
            seen.append((before, status(), round(time.monotonic() - t, 2)))
            assert response.status_code == 302, response.content[:300]
    finally:
        importer.join(timeout=300)
    assert importer.exitcode == 0
    assert Case.objects.count() == rows
    checking = ImportJob.Status.VALIDATING
    assert [s for s in seen if s[0] == s[1] == checking], seen  # a login wholly while checking
    assert max(s[2] for s in seen) < 15, seen  # never near the 20 s lock timeout


def _summary() -> list[tuple]:
    from chuangkou.cases.models import DailyCaseStats

    return sorted(
        DailyCaseStats.objects.values_list(
            "date", "department_id", "center_id", "window_id", "matter_id",
            "accepted", "rejected", "completed", "one_trip", "overdue",
        ),
        key=str,
    )  # fmt: skip


def test_the_import_adds_to_the_summary_what_a_rebuild_gives(hall):
    """The counts added while importing (rejected, completed, online, overdue rows, on days
    that already have summary rows) equal a full rebuild of those days from the cases."""
    from chuangkou.cases.services import rebuild_daily_stats

    from .conftest import accept_at_window, at

    accept_at_window(hall, at("2017-03-01", 10))  # a case of the same day, counted live
    base = [{**r, "受理编号": f"I-{i}"} for i, r in enumerate(good_rows(hall))]
    rows = [
        *base,
        {**base[0], "受理编号": "R-1", "状态": "不予受理", "办结时间": "2017-03-01 11:00"},
        {**base[0], "受理编号": "R-2", "跑动次数": "3"},
        {**base[1], "受理编号": "R-3", "办结时间": "2017-03-09 10:00"},
        {**base[2], "受理编号": "R-4", "状态": "退件", "办结时间": "2017-03-03 10:00"},
    ]
    job = jobs.run_import(_job(hall, to_csv(rows)).pk)
    assert job.status == ImportJob.Status.DONE and job.created == 7, (job.message, job.errors)
    imported = _summary()
    assert sum(r[5] for r in imported) == 7  # 8 cases, one 不予受理
    assert sum(r[6] for r in imported) == 1 and sum(r[7] for r in imported) == 4
    rebuild_daily_stats(start=dt.date(2017, 3, 1), end=dt.date(2017, 3, 31))
    assert _summary() == imported


def _case_indexes() -> dict[str, dict]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Case._meta.db_table)
    return {
        name: c
        for name, c in constraints.items()
        if c["index"] and not c["primary_key"] and not name.endswith("_like")
    }


def test_every_index_of_the_cases_table_is_one_no_other_already_covers():
    """An import writes every index of every row: an index whose columns begin another one's
    (accepted_date before (accepted_date, department); clerk before (clerk, accepted_at))
    only costs, and the foreign keys nothing filters on (center, import job) have none."""
    indexes = _case_indexes()
    columns = {name: c["columns"] for name, c in indexes.items()}
    covered = [
        (name, other)
        for name, cols in columns.items()
        for other, more in columns.items()
        if name != other
        and not indexes[name]["unique"]
        and len(cols) <= len(more)
        and more[: len(cols)] == cols
    ]
    assert covered == []
    leading = {cols[0] for cols in columns.values()}
    assert not leading & {"center_id", "import_job_id"}
    assert {"matter_id", "department_id", "window_id", "clerk_id", "ticket_id"} <= leading


def test_the_daily_summary_has_no_index_of_department_center_or_window_alone():
    """An import inserts about one summary row per case: only the indexes a query reads (the
    unique keys, (date, department) for the figures' date ranges, matter) are paid for."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, DailyCaseStats._meta.db_table
        )
    single = {
        c["columns"][0]
        for c in constraints.values()
        if c["index"] and len(c["columns"]) == 1 and not (c["primary_key"] or c["unique"])
    }
    assert not single & {"department_id", "center_id", "window_id"}
    assert "matter_id" in single


def test_the_summary_counts_come_day_after_day():
    """Inserted day after day, the summary's index pages fill one after the other."""
    counts = DailyCounts()
    days = [f"2018-01-{d:02d}" for d in rng_days()]
    for n, day in enumerate(days, start=1):
        counts.counts["accepted"][(day, 2, 1, None if n % 3 else n, 5)] += 1
    counts.counts["completed"][(days[0], 2, 1, None, 5)] = 4
    rows = counts.rows()
    assert [k[0] for k in rows] == sorted(k[0] for k in rows)
    assert rows[(days[0], 2, 1, None, 5)] == [
        1 if name == "accepted" else 4 if name == "completed" else 0 for name in COUNTS
    ]


def rng_days() -> list[int]:
    return random.Random(9).sample(range(1, 29), 20)


@pytest.mark.django_db(transaction=True)
def test_the_cycle_collector_is_paused_during_an_import_and_restored_after(hall, monkeypatch):
    seen = []
    check_file = jobs.check_file

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return check_file(*args, **kwargs)

    monkeypatch.setattr(jobs, "check_file", spy)
    job = _job(hall, to_csv(good_rows(hall)[:2]))
    assert gc.isenabled()
    checker = jobs.import_file(job, Path(job.file.path))
    assert seen == [False] and gc.isenabled()
    assert checker.error_count == 0 and checker.created == 2


def test_times_are_written_for_sqlite_as_django_writes_them():
    """Django's SQLite backend stores an aware time as its naive UTC value, as text."""
    from chuangkou.cases.imports.checking import _sqlite_moment

    shanghai, new_york = zoneinfo.ZoneInfo("Asia/Shanghai"), zoneinfo.ZoneInfo("America/New_York")
    moments = [
        dt.datetime(2018, 3, 5, 9, 30, tzinfo=shanghai),
        dt.datetime(1988, 6, 1, 0, 30, 15, 250, tzinfo=shanghai),  # summer time then
        dt.datetime(2021, 11, 7, 1, 30, tzinfo=new_york, fold=1),
        dt.datetime(2018, 1, 1, 0, 0, tzinfo=dt.UTC),
    ]
    for moment in moments:
        assert _sqlite_moment(moment) == str(timezone.make_naive(moment, dt.UTC))


def test_the_summary_key_is_unique_with_a_window_and_without_one(hall):
    from django.db import IntegrityError, transaction

    key = {
        "date": dt.date(2017, 3, 1),
        "department_id": hall.matter_a.department_id,
        "center_id": hall.main.pk,
        "matter_id": hall.matter_a.pk,
    }
    for window_id in (None, hall.w_a01.pk):
        DailyCaseStats.objects.create(**key, window_id=window_id, accepted=1)
        with pytest.raises(IntegrityError), transaction.atomic():
            DailyCaseStats.objects.create(**key, window_id=window_id, accepted=1)
    assert DailyCaseStats.objects.filter(**key).count() == 2
