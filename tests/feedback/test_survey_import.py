"""Survey interviews done by an outside body (the province's sampling survey) imported into the
survey models: every row of a good file, every error of a bad row and nothing written, audited;
the report reads them like a sample drawn here."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.feedback import selectors
from chuangkou.feedback.models import Survey, SurveySample
from chuangkou.feedback.survey_import import COLUMNS, SurveyImport

from ..tables import csv_bytes, last_audit, xlsx_bytes
from .factories import CaseFactory

HEADERS = [c.header for c in COLUMNS]


def _importer(fb, actor=None, **overrides):
    today = timezone.localdate()
    fields = {
        "region": fb.region,
        "name": "2018 年省级抽样调查",
        "conducted_by": "省营商办",
        "start": today - dt.timedelta(days=30),
        "end": today,
    }
    return SurveyImport(actor=actor or fb.admin, **{**fields, **overrides})


def test_a_good_file_becomes_a_survey_with_every_interview(fb):
    extra = CaseFactory(matter=fb.matter_a, center=fb.main)
    rows = [
        [fb.case_a.number, "是", 1, "满意", "2018-07-03 10:20", ""],
        [fb.case_b.number, "是", 3, "不满意", "", "材料不全跑了三次"],
        [extra.number, "否", "", "", "", "无人接听"],
    ]
    importer = _importer(fb)
    report = importer.run(content=csv_bytes(HEADERS, rows), filename="省抽样.csv")
    assert report.ok, report.errors
    assert report.created == 3
    survey = importer.survey
    assert survey.conducted_by == "省营商办" and survey.sample_size == 3
    strata = {s.department_id: (s.population, s.sample_size) for s in survey.strata.all()}
    assert strata == {fb.dept_a.pk: (2, 2), fb.dept_b.pk: (1, 1)}
    first = survey.samples.get(case=fb.case_a)
    assert (first.reached, first.visits_reported, first.satisfied) == (True, 1, True)
    assert timezone.localtime(first.interviewed_at).hour == 10
    result = selectors.survey_report(survey)
    assert result.satisfaction.percent is not None
    entry = last_audit("feedback.survey.import_file")
    assert entry.after["result"] == "succeeded" and entry.object_id == str(survey.pk)
    assert last_audit("feedback.survey.import").after["samples"] == 3


def test_a_row_with_many_bad_cells_lists_each_and_writes_nothing(fb):
    rows = [
        [fb.case_a.number, "是", 1, "满意", "", ""],
        ["NO-SUCH-CASE", "也许", "很多", "还行", "昨天下午", "x" * 201],
        [fb.open_case.number, "是", "", "", "", ""],
        [fb.case_b.number, "否", 2, "满意", "", ""],
        [fb.case_a.number, "是", 1, "满意", "", ""],
    ]
    report = _importer(fb).run(content=xlsx_bytes(HEADERS, rows), filename="s.xlsx")
    bad = {(e.row, e.column) for e in report.errors}
    assert {(3, c) for c in HEADERS} <= bad  # six bad cells, six errors
    assert {(4, "受理编号"), (4, "自述跑动次数"), (4, "是否满意")} <= bad
    assert {(5, "自述跑动次数"), (5, "是否满意"), (6, "受理编号")} <= bad
    assert not Survey.objects.exists() and not SurveySample.objects.exists()
    entry = last_audit("feedback.survey.import_file")
    assert entry.after["result"] == "rejected" and entry.after["errors"] == report.error_count


def test_the_survey_fields_are_checked_before_the_file(fb):
    with pytest.raises(DomainError):
        _importer(fb, conducted_by=" ").run(content=b"", filename="x.csv")
    with pytest.raises(DomainError):
        _importer(fb, start=dt.date(1, 1, 1)).run(content=b"", filename="x.csv")
    with pytest.raises(PermissionDeniedError):
        _importer(fb, actor=fb.clerk_a1).run(content=b"", filename="x.csv")


def test_the_import_page(fb, client_as):
    client = client_as(fb.admin)
    assert client.get("/feedback/surveys/import/").status_code == 200
    template = client.get("/feedback/surveys/import/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    today = timezone.localdate()
    form = {
        "name": "省抽样",
        "conducted_by": "省营商办",
        "region": fb.region.pk,
        "period_start": str(today - dt.timedelta(days=30)),
        "period_end": str(today),
    }
    content = csv_bytes(HEADERS, [[fb.case_a.number, "是", 0, "是", "", ""]])
    upload = SimpleUploadedFile("s.csv", content)
    response = client.post("/feedback/surveys/import/", {**form, "file": upload})
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.conducted_by == "省营商办"
    for page in ("", f"{survey.pk}/", f"{survey.pk}/report/"):
        shown = client.get(f"/feedback/surveys/{page}")
        assert shown.status_code == 200 and "省营商办" in shown.content.decode()
    upload = SimpleUploadedFile("s.csv", content)
    response = client.post("/feedback/surveys/import/", {**form, "name": "", "file": upload})
    assert response.status_code == 200 and "请先填写完整的调查信息" in response.content.decode()
