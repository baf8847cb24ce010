"""The command-line import and summary rebuild."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from chuangkou.cases.models import Case, DailyCaseStats

from .conftest import accept_at_window, at
from .test_imports import good_rows, to_csv

pytestmark = pytest.mark.django_db


def test_import_cases_from_the_command_line(hall, tmp_path):
    path = tmp_path / "历史办件.csv"
    path.write_bytes(to_csv(good_rows(hall)))
    out = io.StringIO()
    call_command("import_cases", str(path), stdout=out)
    assert "已导入 3 件" in out.getvalue()
    assert Case.objects.count() == 3


def test_a_bad_file_is_reported_and_not_imported(hall, tmp_path):
    rows = good_rows(hall)
    rows[1]["受理时间"] = "昨天"
    path = tmp_path / "历史办件.csv"
    path.write_bytes(to_csv(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_cases", str(path), stderr=err)
    assert "第 3 行「受理时间」列" in err.getvalue()
    assert not Case.objects.exists()
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_cases", str(tmp_path / "none.csv"))
    with pytest.raises(CommandError, match=r"\.csv 或 \.xlsx"):
        call_command("import_cases", str(path.rename(tmp_path / "a.txt")))


def test_rebuild_case_stats(hall):
    accept_at_window(hall, at("2018-03-05", 9))
    DailyCaseStats.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_case_stats", "--start", "2018-03-01", "--end", "2018-03-31", stdout=out)
    assert "1 行" in out.getvalue()
    assert DailyCaseStats.objects.get().date == dt.date(2018, 3, 5)
    with pytest.raises(CommandError, match="日期格式"):
        call_command("rebuild_case_stats", "--start", "2018-02-30")
    with pytest.raises(CommandError, match="不能早于"):
        call_command("rebuild_case_stats", "--start", "2018-03-02", "--end", "2018-03-01")
