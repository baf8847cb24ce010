"""历史办件导入: CSV (UTF-8 and GBK) and Excel files; every error with its row and column;
nothing written when any row is wrong; the import's counts added to the summary."""

import csv
import datetime as dt
import io
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from chuangkou.cases import imports, selectors
from chuangkou.cases.imports import HEADERS
from chuangkou.cases.models import Case, DailyCaseStats, ImportJob
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry

from .conftest import accept_at_window, at, person_id

pytestmark = pytest.mark.django_db


def good_rows(hall) -> list[dict]:
    return [
        {
            "受理编号": "330103-20170301-000001",
            "事项编码": "A-001",
            "受理渠道": "窗口受理",
            "中心": hall.main.name,
            "窗口号": "A01",
            "受理人工号": hall.a1.staff_no,
            "申请人类型": "个人",
            "申请人": "张三",
            "证件号码": person_id(7),
            "联系电话": "13800001111",
            "受理时间": "2017-03-01 09:30",
            "状态": "已办结",
            "办结时间": "2017-03-01 15:00",
            "跑动次数": "1",
        },
        {
            "受理编号": "330103-20170301-000002",
            "事项编码": "A-001",
            "受理渠道": "网上申请",
            "中心": hall.main.name,
            "申请人类型": "企业",
            "申请人": "杭州某某有限公司",
            "联系电话": "0571-87000000",
            "受理时间": "2017/3/1",
            "办结时间": "2017-03-06 10:00",
        },
        {
            "受理编号": "330103-20170302-000001",
            "事项编码": "B-001",
            "中心": hall.main.name,
            "窗口号": "B01",
            "申请人类型": "个人",
            "申请人": "李四",
            "受理时间": "2017-03-02 10:00",
            "状态": "补正中",
            "跑动次数": "2",
        },
    ]


def to_csv(rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def to_xlsx(rows: list[dict]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append([row.get(h) for h in HEADERS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def run(hall, content: bytes, name: str = "历史办件.csv") -> ImportJob:
    job = ImportJob(filename=name, format=imports.file_format(name), created_by=hall.admin)
    job.file.save(name, ContentFile(content), save=False)
    job.save()
    return imports.run_import(job.pk)


def _check_good_import(hall, job: ImportJob) -> None:
    assert job.status == ImportJob.Status.DONE, (job.message, job.errors)
    assert job.created == 3 and job.processed_rows == 3 and job.error_count == 0
    assert not job.file  # the uploaded file is not kept
    first = Case.objects.get(number="330103-20170301-000001")
    assert (first.window, first.clerk, first.status, first.is_one_trip, first.is_overdue) == (
        hall.w_a01,
        hall.a1,
        Case.Status.COMPLETED,
        True,
        False,
    )
    assert first.accepted_at == at("2017-03-01", 9, 30) and first.import_job == job
    assert first.due_date == dt.date(2017, 3, 2)  # matter_a: 1 working day
    online = Case.objects.get(number="330103-20170301-000002")
    assert (online.channel, online.visits, online.window, online.applicant_kind) == (
        "online",
        0,
        None,
        "company",
    )
    assert online.accepted_at == at("2017-03-01", 9) and online.is_overdue  # due 2 March
    open_case = Case.objects.get(number="330103-20170302-000001")
    assert (open_case.status, open_case.visits, open_case.completed_at) == ("supplement", 2, None)
    figures = selectors.case_figures(
        user=hall.admin, start=dt.date(2017, 3, 1), end=dt.date(2017, 3, 31)
    )
    assert (figures.counts.accepted, figures.counts.completed, figures.counts.overdue) == (3, 2, 1)
    assert AuditEntry.objects.filter(action="cases.import", object_id=str(job.pk)).exists()


def test_a_good_csv_file(hall):
    _check_good_import(hall, run(hall, to_csv(good_rows(hall))))


def test_a_good_excel_file(hall):
    _check_good_import(hall, run(hall, to_xlsx(good_rows(hall)), "历史办件.xlsx"))


def test_a_csv_saved_by_excel_on_chinese_windows_gbk(hall):
    _check_good_import(hall, run(hall, to_csv(good_rows(hall), "gbk")))


def test_an_excel_file_with_real_dates_and_numbers(hall):
    rows = good_rows(hall)
    # Excel keeps wall-clock times without a zone
    rows[0]["受理时间"] = at("2017-03-01", 9, 30).replace(tzinfo=None)
    rows[0]["办结时间"] = at("2017-03-01", 15).replace(tzinfo=None)
    rows[0]["跑动次数"] = 1
    rows[2]["受理时间"] = dt.date(2017, 3, 2)
    job = run(hall, to_xlsx(rows), "历史办件.xlsx")
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Case.objects.get(number=rows[0]["受理编号"]).accepted_at == at("2017-03-01", 9, 30)


def test_every_bad_row_is_reported_and_nothing_is_written(hall):
    existing = accept_at_window(hall, at("2018-03-05", 9))
    stats_before = list(DailyCaseStats.objects.values_list("pk", "accepted"))
    rows = good_rows(hall)
    base = rows[0]
    bad = [
        {**base, "受理编号": "X-1", "事项编码": "NO-SUCH"},
        {**base, "受理编号": "X-2", "受理时间": "2017-02-30"},
        {**base, "受理编号": "X-3", "受理时间": "2017-03-05 10:00", "办结时间": "2017-03-04"},
        {**base, "受理编号": "X-3"},
        {**base, "受理编号": existing.number},
        {**base, "受理编号": "X-5", "窗口号": "Z99"},
        {**base, "受理编号": "X-6", "证件号码": "123"},
        {**base, "受理编号": "X-7", "状态": "已办结", "办结时间": ""},
        {**base, "受理编号": "X-8", "跑动次数": "很多"},
        {**base, "受理编号": "X-9", "申请人": ""},
    ]
    job = run(hall, to_csv(rows + bad))
    assert job.status == ImportJob.Status.FAILED and job.created == 0
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {
        (5, "事项编码"),
        (6, "受理时间"),
        (7, "办结时间"),
        (8, "受理编号"),
        (9, "受理编号"),
        (10, "窗口号"),
        (11, "证件号码"),
        (12, "办结时间"),
        (13, "跑动次数"),
        (14, "申请人"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert messages[(7, "办结时间")] == "办结时间早于受理时间"
    assert messages[(8, "受理编号")] == "与第 7 行重复"
    assert "已存在于系统中" in messages[(9, "受理编号")]
    assert "NO-SUCH" in messages[(5, "事项编码")]
    assert job.error_count == 10 and "10 处错误" in job.message
    assert Case.objects.count() == 1  # only the case that was there before
    assert list(DailyCaseStats.objects.values_list("pk", "accepted")) == stats_before
    attempt = AuditEntry.objects.get(action="cases.import")  # the refused attempt only
    assert (attempt.after["result"], attempt.after["errors"]) == ("rejected", 10)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("受理编号,申请人\r\nX,张三\r\n".encode(), "a.csv", "表头缺少列"),
        (",".join(HEADERS).encode("utf-8"), "a.csv", "没有数据行"),
        (b"PK\x03\x04 not really a workbook", "a.xlsx", "无法读取文件"),
        (b"\xff\xfe\x00\x01\x02 binary", "a.csv", "无法识别文件编码"),
    ],
)
def test_files_that_cannot_be_read(hall, content, name, message):
    job = run(hall, content, name)
    assert job.status == ImportJob.Status.FAILED and message in job.message
    assert not Case.objects.exists()


def test_only_csv_and_xlsx_files_are_taken():
    with pytest.raises(DomainError, match=r"\.csv 或 \.xlsx"):
        imports.file_format("cases.xls")


def test_start_import_is_for_center_admins(hall):
    upload = SimpleUploadedFile("a.csv", to_csv(good_rows(hall)))
    with pytest.raises(PermissionDeniedError):
        imports.start_import(actor=hall.head_a, upload=upload)
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_started_import_runs_as_a_queued_job_and_imports_every_row(hall):
    """start_import queues the job (core.tasks.enqueue; the tests' immediate backend runs it)."""
    upload = SimpleUploadedFile("历史办件.csv", to_csv(good_rows(hall)))
    job = imports.start_import(actor=hall.admin, upload=upload)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.is_running:
            break
        time.sleep(0.1)
    assert job.status == ImportJob.Status.DONE, (job.message, job.errors)
    assert Case.objects.filter(import_job=job).count() == 3
