"""Excel exports of 好差评 lists (core.xlsx), with the same rows the pages show."""

from django.db.models import QuerySet

from chuangkou.core import xlsx
from chuangkou.core.masking import mask_phone

from . import selectors
from .models import Rectification

RECTIFICATION_HEADERS = [
    "编号",
    "状态",
    "评价对象",
    "部门",
    "窗口",
    "办理人员",
    "评价等级",
    "评价内容",
    "评价时间",
    "联系电话",
    "回访期限",
    "回访时间",
    "整改反馈期限",
    "整改反馈时间",
    "整改情况与答复",
]


def export_rectifications(rows: QuerySet[Rectification]) -> bytes:
    """差评整改 list; phone numbers masked (the detail page shows them to the handler)."""

    def row(r: Rectification) -> list:
        e = r.evaluation
        state = getattr(r, "current_state", r.state)
        return [
            r.pk,
            Rectification.State(state).label,
            e.subject_label,
            e.department.name if e.department else "",
            e.window.number if e.window else "",
            e.staff.name if e.staff else "",
            e.get_level_display(),
            e.comment,
            e.created_at,
            mask_phone(selectors.citizen_phone(e)),
            r.callback_due,
            r.callback_at,
            r.reply_due,
            r.rectified_at,
            r.reply,
        ]

    return xlsx.write_table("差评整改", RECTIFICATION_HEADERS, (row(r) for r in rows.iterator()))


def export_satisfaction(groups: list[selectors.GroupRow], *, group_label: str) -> bytes:
    headers = [group_label, "有效评价", "非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    headers += ["满意率(%)", "差评率(%)"]

    def row(g: selectors.GroupRow) -> list:
        counts = [n for _, _, n in g.figures.levels]
        return [g.label, g.figures.total, *counts, g.figures.rate, g.figures.bad_share]

    return xlsx.write_table("满意率", headers, (row(g) for g in groups))


def export_samples(samples) -> bytes:
    """抽样样本 with their interview results (no phone numbers: the sheet leaves the system)."""
    headers = ["受理编号", "部门", "事项", "办结时间", "是否接通", "自述跑动次数", "是否满意"]
    headers += ["访问员", "回访时间", "备注"]
    yes_no = {True: "是", False: "否", None: ""}

    def row(s) -> list:
        return [
            s.case.number,
            s.stratum.department.name,
            s.case.matter.name,
            s.case.completed_at,
            yes_no[s.reached] if s.reached is not None else "待回访",
            s.visits_reported,
            yes_no[s.satisfied],
            str(s.interviewer) if s.interviewer else "",
            s.interviewed_at,
            s.note,
        ]

    return xlsx.write_table("抽样样本", headers, (row(s) for s in samples.iterator()))
