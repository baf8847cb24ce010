"""The command-line import and summary rebuild."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from chuangkou.cases.models import Case, DailyCaseStats
from chuangkou.core.models import AuditEntry

from .conftest import accept_at_window, at
from .test_imports import good_rows, to_csv

pytestmark = pytest.mark.django_db


def test_import_cases_from_the_command_line(hall, tmp_path):
    path = tmp_path / "历史办件.csv"
    path.write_bytes(to_csv(good_rows(hall)))
    out = io.StringIO()
    call_command("import_cases", str(path), "--as", hall.admin.username, stdout=out)
    assert "已导入 3 件" in out.getvalue()
    assert Case.objects.count() == 3
    entry = AuditEntry.objects.get(action="cases.import")
    assert entry.actor == hall.admin and entry.actor_name == hall.admin.username
    assert entry.after["result"] == "succeeded" and entry.after["file"] == "历史办件.csv"


def test_the_command_line_import_runs_as_an_active_account(hall, tmp_path):
    path = tmp_path / "历史办件.csv"
    path.write_bytes(to_csv(good_rows(hall)))
    with pytest.raises(CommandError, match="没有名为「nobody」的在用账号"):
        call_command("import_cases", str(path), "--as", "nobody")
    hall.admin.is_active = False
    hall.admin.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="在用账号"):
        call_command("import_cases", str(path), "--as", hall.admin.username)
    with pytest.raises(CommandError, match="中心管理员"):
        call_command("import_cases", str(path), "--as", hall.clerk_a1.username)
    assert not Case.objects.exists()


def test_a_bad_file_is_reported_and_not_imported(hall, tmp_path):
    rows = good_rows(hall)
    rows[1]["受理时间"] = "昨天"
    path = tmp_path / "历史办件.csv"
    path.write_bytes(to_csv(rows))
    err = io.StringIO()
    admin = hall.admin.username
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_cases", str(path), "--as", admin, stderr=err)
    assert "第 3 行「受理时间」列" in err.getvalue()
    assert not Case.objects.exists()
    entry = AuditEntry.objects.get(action="cases.import")
    assert entry.actor == hall.admin
    assert (entry.after["result"], entry.after["errors"]) == ("rejected", 1)
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_cases", str(tmp_path / "none.csv"), "--as", admin)
    with pytest.raises(CommandError, match=r"\.csv 或 \.xlsx"):
        call_command("import_cases", str(path.rename(tmp_path / "a.txt")), "--as", admin)


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
