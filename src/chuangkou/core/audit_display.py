"""The audit log as people read it: actions and role codes in Chinese, personal numbers masked.

Entries keep their codes (`staff.update`, `center_admin`); every page that shows an entry goes
through `action_label` and `readable_changes`, never through the raw code or a dict's repr.
"""

import re
from dataclasses import dataclass

from .masking import mask_id_number, mask_phone
from .roles import ROLE_LABELS, Role

# Categories by code prefix (the audit log's action filter offers these).
CATEGORIES = {
    "auth.": "登录/退出",
    "account.": "账号与角色",
    "audit.": "审计",
    "data.": "数据导出",
    "system.": "系统维护",
    "core.": "系统设置",
    "staff.": "人员",
    "org.": "机构与人员导入",
    "catalog.": "办事指南",
    "hall.": "大厅取号",
    "case": "受理办件",
    "feedback.": "好差评",
    "exams.": "考试",
    "selection.": "竞聘上岗",
    "supervision.": "督查",
    "honors.": "评优评先",
    "training.": "培训",
    "care.": "人文关怀",
    "consult.": "1call 咨询",
    "prereview.": "材料预审",
    "notify.": "消息通知",
    "jobs.": "后台任务",
    "demo.": "演示数据",
}

ACTIONS = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.logout": "退出登录",
    "auth.otp_failed": "动态口令错误",
    "auth.recovery_code_used": "使用恢复码登录",
    "account.create": "开通账号",
    "account.activate": "启用/停用账号",
    "account.locked": "账号被锁定",
    "account.unlock": "解除锁定",
    "account.roles": "修改角色",
    "account.roles_request": "申请修改角色",
    "account.roles_approve": "批准角色修改",
    "account.roles_reject": "驳回角色修改",
    "account.password_change": "修改密码",
    "account.password_reset": "重置密码",
    "account.otp_enrol": "绑定动态口令",
    "account.otp_reset": "重置动态口令",
    "account.token_issue": "签发接口令牌",
    "account.token_revoke": "吊销接口令牌",
    "account.tokens_revoke_all": "吊销全部接口令牌",
    "account.bulk_create": "批量开通人员账号",
    "audit.export": "导出审计日志",
    "data.export": "导出数据",
    "data.export_download": "下载导出文件",
    "data.export_cancel": "取消导出",
    "system.backup": "备份",
    "system.restore": "恢复",
    "system.partition_detach": "拆出（归档）历史分区",
    "core.official_days": "设置节假日",
    "staff.create": "登记人员",
    "staff.update": "修改人员信息",
    "staff.separate": "登记离职",
    "staff.assign": "调岗/交流",
    "staff.link_account": "关联登录账号",
    "org.import": "导入人员",
    "org.import_org": "导入机构与窗口",
    "org.import_postings": "导入岗位记录",
    "selection.publish": "发布公示",
    "selection.finalise": "确认定岗",
    "selection.tiers.set": "设置档次与名额",
    "selection.judges.set": "组建评委",
    "selection.ranking.compute": "计算排名",
    "selection.import": "导入已完成的竞聘",
    "feedback.survey.interview": "录入抽样调查访谈",
    "feedback.survey.import": "导入抽样调查访谈",
    "exams.grade.record": "阅卷评分",
    "exams.exam.add_candidates": "添加考生",
    "demo.load": "载入演示数据",
}

# The last part of a code, for actions without a name of their own.
VERBS = {
    "create": "新建",
    "update": "修改",
    "import": "导入",
    "delete": "删除",
    "open": "开放",
    "close": "结束",
    "publish": "发布",
    "submit": "提交",
    "handle": "处理",
    "register": "报名",
    "withdraw": "放弃",
    "start": "开始",
    "reopen": "退回",
    "resolve": "处理",
    "activate": "启用",
    "load": "载入",
    "demo": "演示数据",
    "draw": "抽样",
    "cancel": "取消",
    "appeal": "申诉",
    "callback": "回访",
    "rectify": "整改",
    "overdue": "逾期",
}

FIELDS = {
    "name": "姓名",
    "display_name": "姓名",
    "username": "账号",
    "gender": "性别",
    "employment_type": "用工性质",
    "category": "业务类别",
    "department": "部门",
    "center": "中心",
    "window": "窗口",
    "hire_date": "入职日期",
    "phone": "手机号",
    "id_number": "身份证号",
    "staff_no": "工号",
    "status": "状态",
    "date": "日期",
    "reason": "原因",
    "note": "说明",
    "kind": "类型",
    "start_date": "开始日期",
    "end_date": "结束日期",
    "roles": "角色",
    "active": "启用",
    "is_active": "启用",
    "budget": "年度预算",
    "tiers": "档次",
    "results": "结果",
    "file": "文件",
    "rows": "行数",
    "job": "导出任务",
    "filter": "筛选参数",
    "filter_text": "筛选条件",
    "unmasked": "完整号码",
    "errors": "错误数",
    "result": "结果",
    "created": "新增",
    "updated": "更新",
    "score": "分数",
    "reply": "处理意见",
}

_ID_NUMBER = re.compile(r"\b\d{17}[\dXx]\b")
_MOBILE = re.compile(r"\b1[3-9]\d{9}\b")
_PERSONAL_KEYS = ("id_number", "applicant_id", "id_card")
_PHONE_KEYS = ("phone", "mobile")
_ROLE_CODES = {r.value: ROLE_LABELS[r] for r in Role}
_RESULTS = {"succeeded": "成功", "rejected": "有错误，未导入", "aborted": "系统错误，未导入"}
MAX_VALUE_CHARS = 300


def action_label(code: str) -> str:
    """The Chinese name of an audit action; unknown codes get their category and verb."""
    if code in ACTIONS:
        return ACTIONS[code]
    category = next((label for prefix, label in CATEGORIES.items() if code.startswith(prefix)), "")
    verb = VERBS.get(code.rsplit(".", 1)[-1], "操作")
    return f"{category}·{verb}" if category else f"其他·{verb}"


def category_choices() -> list[tuple[str, str]]:
    """(prefix, label) for the action filter, one per label."""
    seen: dict[str, str] = {}
    for prefix, label in CATEGORIES.items():
        seen.setdefault(label, prefix)
    return [(prefix, label) for label, prefix in seen.items()]


@dataclass(frozen=True)
class Change:
    label: str
    value: str


def readable_changes(data) -> list[Change]:
    """A before/after dict as (Chinese field name, readable masked value) pairs."""
    if data is None:
        return []
    if not isinstance(data, dict):
        return [Change("", readable_value("", data))]
    return [Change(FIELDS.get(str(k), str(k)), readable_value(str(k), v)) for k, v in data.items()]


def readable_value(key: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{c.label}：{c.value}" for c in readable_changes(value))
    if isinstance(value, list | tuple):
        return "、".join(readable_value(key, v) for v in value) or "—"
    text = str(value)
    if key in _PERSONAL_KEYS:
        return mask_id_number(text)
    if key in _PHONE_KEYS:
        return mask_phone(text)
    if key == "result" and text in _RESULTS:
        return _RESULTS[text]
    if text in _ROLE_CODES:
        return _ROLE_CODES[text]
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group()), text)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"
