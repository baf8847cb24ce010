"""The tables exported in the background (core.exports) and who finds 我的导出 in the sidebar."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangkou.core import exports, navigation, params


def test_every_large_list_is_registered():
    assert set(exports._KINDS) == {
        "cases.case",
        "hall.ticket",
        "consult.consultation",
        "notify.message",
    }


def test_my_exports_shows_to_every_role_that_may_export_and_no_other():
    assert set(navigation.EXPORTERS) == exports.exporter_roles()


# -- 筛选条件 in Chinese (exports.filter_text through each kind's `describe`) -------------------


@pytest.fixture
def queue(org_small):
    from chuangkou.hall.models import ServiceQueue

    return ServiceQueue.objects.create(center=org_small.main, prefix="A", name="综合受理")


def test_every_registered_kind_says_its_filter_without_building_the_table(org_small):
    assert all(spec.describe is not None for spec in exports._KINDS.values())
    for kind in exports._KINDS:
        with CaptureQueriesContext(connection) as queries:
            exports.filter_text(kind, {"department": str(org_small.dept_a.pk), "center": "1"})
        assert not [q for q in queries if "COUNT(" in q["sql"].upper()], kind


def test_the_case_filter_in_chinese(org_small):
    o = org_small
    query = {
        "q": "张三",
        "status": "completed",
        "channel": "window",
        "department": str(o.dept_a.pk),
        "window": str(o.w_a01.pk),
        "matter": "999999",  # no such matter: its id
        "date_from": "2018-03-01",
        "overdue": "true",
    }
    text = exports.filter_text("cases.case", query)
    assert text == (
        "关键词：张三；状态：已办结；受理渠道：窗口受理；部门：市场监管局；窗口：A01 商事登记；"
        "事项：999999；受理日期起（含）：2018-03-01；仅超期"
    )
    assert exports.filter_text("cases.case", {"overdue": "false"}) == "仅未超期"
    assert exports.filter_text("cases.case", {}) == params.NO_FILTER == "全部（未筛选）"
    # a wrong value: the export applies no filter, and says so
    assert exports.filter_text("cases.case", {"department": "abc"}) == "全部（未筛选）"
    assert exports.filter_text("cases.case", {"center": str(2**63)}) == "全部（未筛选）"


def test_the_ticket_filter_in_chinese(org_small, queue):
    query = {
        "q": "A012",
        "center": str(org_small.main.pk),
        "queue": str(queue.pk),
        "status": "waiting",
        "channel": "kiosk",
        "priority": "true",
        "date": "2018-03-05",
    }
    assert exports.filter_text("hall.ticket", query) == (
        "号码：A012；中心：下城区行政服务中心；队列：A 综合受理；状态：等候中；"
        "取号方式：自助取号机；只看绿色通道；取号日期：2018-03-05"
    )
    assert exports.filter_text("hall.ticket", {"priority": "false"}) == "只看普通号"
    assert exports.filter_text("hall.ticket", {"status": "nonsense"}) == "状态：nonsense"
    assert exports.filter_text("hall.ticket", {}) == "全部（未筛选）"


def test_the_message_filter_in_chinese(db):
    query = {"kind": "ticket_called", "channel": "sms", "status": "failed", "start": "2026-01-01"}
    assert exports.filter_text("notify.message", query) == (
        "消息类型：叫号通知；渠道：短信；状态：发送失败；起始日期：2026-01-01"
    )
    assert exports.filter_text("notify.message", {"kind": "no_such"}) == "消息类型：no_such"
    assert exports.filter_text("notify.message", {}) == "全部（未筛选）"


def test_the_consultation_period_in_chinese(db):
    query = {"start": "2026-01-01", "end": "2026-01-31"}
    assert (
        exports.filter_text("consult.consultation", query) == "提问日期：2026-01-01 至 2026-01-31"
    )
    today = timezone.localdate()
    # always a period: the last 30 days when none was chosen
    assert exports.filter_text("consult.consultation", {}) == (
        f"提问日期：{today - dt.timedelta(days=29):%Y-%m-%d} 至 {today:%Y-%m-%d}"
    )


def test_a_kind_no_longer_registered_shows_its_parameters(db):
    assert exports.filter_text("no.such", {"a": "1"}) == "a：1"
    assert exports.filter_text("no.such", {}) == "全部（未筛选）"
