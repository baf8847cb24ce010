"""Excel exports of 能力提升 through core.xlsx: events, hours, suggestions."""

from chuangkou.core.xlsx import write_table

from . import selectors

EVENT_HEADERS = [
    "类型",
    "主题",
    "开始时间",
    "结束时间",
    "地点",
    "主讲人",
    "学时",
    "名额",
    "报名",
    "出勤",
]
PERSON_HOURS_HEADERS = ["工号", "姓名", "部门", "参训次数", "学时"]
DEPARTMENT_HOURS_HEADERS = ["部门", "参训人次", "学时"]
SUGGESTION_HEADERS = [
    "提出时间",
    "方面",
    "标题",
    "提出人",
    "部门",
    "状态",
    "承办人",
    "答复",
    "理由",
]


def export_events(rows) -> bytes:
    return write_table(
        "培训活动",
        EVENT_HEADERS,
        (
            [
                e.get_kind_display(),
                e.title,
                e.starts_at,
                e.ends_at,
                e.place,
                e.speaker,
                e.hours,
                e.capacity or "不限",
                e.signed,
                e.attended,
            ]
            for e in rows
        ),
    )


def export_hours(people: list[selectors.HoursRow], departments: list[selectors.HoursRow]):
    """Two tables in one file would need two sheets; the export is per person, with the
    department totals below (a blank row between)."""
    rows = [[p.staff_no, p.name, p.department, p.events, p.hours] for p in people]
    rows.append([])
    rows.append(["部门合计", "", "部门", "参训人次", "学时"])
    rows += [["", "", d.department, d.events, d.hours] for d in departments]
    return write_table("培训学时", PERSON_HOURS_HEADERS, rows, text_columns=["工号"])


def export_suggestions(rows) -> bytes:
    return write_table(
        "员工建议",
        SUGGESTION_HEADERS,
        (
            [
                s.created_at,
                s.get_aspect_display(),
                s.title,
                s.author.name,
                s.author.department.name,
                s.get_status_display(),
                s.assignee.get_username() if s.assignee else "",
                s.answer,
                s.decision_reason,
            ]
            for s in rows
        ),
    )


def export_pk_results(contest, standings: list[selectors.Standing]) -> bytes:
    """大 PK 结果: rank, entry, the panel's average by criterion, votes, final score."""
    criteria = [f"{name}（满分 {top}）" for name, top in contest.criteria]
    headers = ["名次", "课件", "业务领域", "主讲人", "评委人数", *criteria]
    headers += ["评委平均分", "评审（百分制）", "票数", "综合得分", "入选汇编"]
    return write_table(
        "大PK结果",
        headers,
        (
            [
                s.rank,
                s.courseware.title,
                s.courseware.domain,
                s.courseware.speaker,
                s.judges,
                *("" if v is None else v for v in s.by_criterion),
                s.average,
                s.review,
                s.votes,
                s.final,
                "是" if s.courseware.selected else "",
            ]
            for s in standings
        ),
    )
