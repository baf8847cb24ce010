"""The message templates: Chinese text with {fields}, each field with its longest value.

A rendered message never passes the SMS limit (70 characters with the signature): every field is
cut to its longest value, and tests render each template with fields of that length.
"""

from dataclasses import dataclass

SMS_LIMIT = 70


@dataclass(frozen=True)
class Spec:
    name: str
    body: str
    fields: dict[str, int]  # field -> longest value (characters)
    staff: bool = False
    reminder: bool = False  # held back in quiet hours


TEMPLATES: dict[str, Spec] = {
    "ticket_ahead": Spec(
        "排队提醒",
        "您的 {number} 号前面还有 {ahead} 人，请回到{queue}等候区留意叫号。",
        {"number": 5, "ahead": 2, "queue": 10},
    ),
    "ticket_called": Spec(
        "叫号通知",
        "请 {number} 号到 {window} 号窗口办理{queue}业务。",
        {"number": 5, "window": 5, "queue": 10},
    ),
    "ticket_transferred": Spec(
        "转号通知",
        "您的号已转至{queue}，新号码 {number}，前面还有 {ahead} 人。",
        {"queue": 10, "number": 5, "ahead": 3},
    ),
    "ticket_last_call": Spec(
        "过号提醒",
        "{number} 号已重呼 {recalls} 次，请尽快到 {window} 号窗口，否则将过号。",
        {"number": 5, "recalls": 2, "window": 5},
    ),
    "appointment_confirmed": Spec(
        "预约确认",
        "您已预约{date} {time}的{queue}，签到码 {code}，请按时到中心签到。",
        {"date": 6, "time": 5, "queue": 10, "code": 6},
    ),
    "appointment_day_before": Spec(
        "预约提醒（前一天）",
        "提醒：您明天 {time} 预约了{queue}，签到码 {code}，请按时到中心签到。",
        {"time": 5, "queue": 10, "code": 6},
        reminder=True,
    ),
    "appointment_hour_before": Spec(
        "预约提醒（前一小时）",
        "提醒：您预约的{queue}将于 {time} 开始，签到码 {code}，请准时到达。",
        {"queue": 10, "time": 5, "code": 6},
        reminder=True,
    ),
    "appointment_slot_cancelled": Spec(
        "预约时段取消",
        "抱歉，您预约的{date} {time}{queue}时段已被中心取消，请重新预约。",
        {"date": 6, "time": 5, "queue": 10},
    ),
    "case_supplement": Spec(
        "补正通知",
        "您的{matter}申请需补正：{materials}。请备齐后到窗口补交。",
        {"matter": 12, "materials": 20},
    ),
    "case_accepted": Spec(
        "受理通知",
        "您的{matter}申请已受理，受理号 {number}，承诺{due}前办结。",
        {"matter": 12, "number": 22, "due": 6},
    ),
    "case_completed": Spec(
        "办结通知",
        "您的{matter}（{number}）已办结，{how}。",
        {"matter": 12, "number": 22, "how": 16},
    ),
    "case_overdue": Spec(
        "逾期致歉",
        "抱歉，您的{matter}（{number}）未能按期办结，我们正在加紧办理。",
        {"matter": 12, "number": 22},
    ),
    "rating_callback": Spec(
        "差评回访",
        "感谢您的评价，我们将于{when}回访您，了解具体情况并改进。",
        {"when": 12},
    ),
    "rating_rectified": Spec(
        "整改完成",
        "您反映的问题已整改：{summary}。感谢您的监督。",
        {"summary": 30},
    ),
    "staff_exam": Spec(
        "考试通知",
        "{name}，您有考试“{title}”，{when}开始。",
        {"name": 6, "title": 20, "when": 12},
        staff=True,
    ),
    "staff_grading": Spec(
        "阅卷任务", "{name}，您有阅卷任务“{title}”待完成。", {"name": 6, "title": 20}, staff=True
    ),
    "staff_finding": Spec(
        "督查发现确认",
        "{name}，督查发现“{title}”待您确认。",
        {"name": 6, "title": 20},
        staff=True,
    ),
    "staff_rectification_overdue": Spec(
        "整改逾期",
        "{name}，整改事项“{title}”已逾期，请督促办理。",
        {"name": 6, "title": 30},
        staff=True,
    ),
}


def clip(fields: dict, spec: Spec) -> dict[str, str]:
    """The fields as text, each cut to its longest value (a long one ends with …)."""
    out = {}
    for name, longest in spec.fields.items():
        value = str(fields.get(name, ""))
        out[name] = value if len(value) <= longest else value[: longest - 1] + "…"
    return out


def render(code: str, fields: dict, body: str | None = None) -> str:
    spec = TEMPLATES[code]
    return (body or spec.body).format(**clip(fields, spec))
