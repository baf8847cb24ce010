"""The shared Excel writer and the NUL guard."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from chuangkou.core import xlsx
from chuangkou.core.roles import Role


def test_write_table_streams_rows_and_writes_local_times():
    aware = dt.datetime(2018, 6, 30, 1, 30, tzinfo=dt.UTC)  # 09:30 in Hangzhou
    rows = ([i, f"第{i}行", aware] for i in range(1200))
    sheet = load_workbook(io.BytesIO(xlsx.write_table("表", ["序号", "名称", "时间"], rows))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("序号", "名称", "时间")
    assert len(values) == 1201
    assert values[1200][:2] == (1199, "第1199行")
    assert values[1][2] == aware.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert sheet.freeze_panes == "A2"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/staff/?q=a%00b", "/login/%00", "/api/v1/org/staff?q=%00"])
def test_nul_characters_are_refused_before_any_view(client_as, role_user, url):
    client = client_as(role_user(Role.CENTER_ADMIN))
    assert client.get(url).status_code == 400


@pytest.mark.django_db
def test_ids_beyond_64_bits_in_filters_are_ignored_with_a_warning(client_as, role_user):
    client = client_as(role_user(Role.CENTER_ADMIN))
    response = client.get("/staff/?department=9999999999999999999999999")
    assert response.status_code == 200
    assert "筛选条件无效" in response.content.decode()
