"""Excel exports of 评先表彰 through core.xlsx: nominations with their ranking, commendations."""

from chuangkou.core.xlsx import write_table

NOMINATION_HEADERS = [
    "类别",
    "推荐对象",
    "推荐部门",
    "资格",
    "票数",
    "评审得分",
    "综合得分",
    "名次",
    "当选",
]
COMMENDATION_HEADERS = [
    "类型",
    "日期",
    "受表彰窗口/人员/集体",
    "部门",
    "荣誉称号",
    "赠送人",
    "内容",
]


def export_nominations(rows) -> bytes:
    return write_table(
        "推荐与排名",
        NOMINATION_HEADERS,
        (
            [
                n.get_kind_display(),
                n.subject_label,
                n.department.name,
                n.get_status_display(),
                n.votes,
                n.review_score,
                n.final_score,
                n.rank,
                "是" if n.awarded else "",
            ]
            for n in rows
        ),
    )


def export_commendations(rows) -> bytes:
    return write_table(
        "表彰",
        COMMENDATION_HEADERS,
        (
            [
                c.get_type_display(),
                c.received_on,
                c.subject_label,
                c.department.name,
                c.title,
                c.masked_sender,
                c.text,
            ]
            for c in rows
        ),
    )
