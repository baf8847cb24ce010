"""Excel exports of 人文关怀 through core.xlsx: the leave figures (no names) and care talks."""

from chuangkou.core.xlsx import write_table

TALK_HEADERS = ["日期", "谈话对象", "部门", "主题类别", "后续跟进", "约谈人"]


def export_figures(figures) -> bytes:
    return write_table(
        f"{figures.year} 年心理假",
        ["部门", "人数", *figures.month_labels, "合计"],
        ([r.label, r.headcount, *r.months, r.total] for r in figures.rows),
    )


def export_talks(rows) -> bytes:
    return write_table(
        "约谈记录",
        TALK_HEADERS,
        (
            [
                t.date,
                t.staff.name,
                t.staff.department.name,
                t.get_topic_display(),
                t.follow_up,
                t.held_by.get_username(),
            ]
            for t in rows.iterator()
        ),
    )
