"""Home pages by role, and the audit log in Chinese with personal numbers masked."""

import datetime as dt

from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.audit_display import action_label, readable_changes
from chuangkou.core.roles import Role

from ..factories import make_id_number


def test_the_clerk_sees_their_window_and_no_turnover(org_small, client_as):
    page = client_as(org_small.clerk_a1).get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="home-window"' in html and "A01" in html
    assert 'data-testid="home-exams"' in html
    assert page.context.get("headcount_total") is None
    assert "年度流失率" not in html


def test_sysadmin_and_auditor_do_not_see_the_turnover_dashboard(org_small, role_user, client_as):
    for role in (Role.SYSADMIN, Role.AUDITOR, Role.SECADMIN):
        html = client_as(role_user(role)).get("/").content.decode()
        assert "年度流失率" not in html, role
    assert "年度流失率" in client_as(org_small.admin).get("/").content.decode()


def test_the_grader_sees_the_grading_queue(role_user, client_as):
    html = client_as(role_user(Role.GRADER)).get("/").content.decode()
    assert 'data-testid="home-grading"' in html and "待阅卷" in html


def test_the_security_admin_sees_locked_accounts_and_sensitive_actions(role_user, client_as):
    locked = role_user(Role.CLERK, username="locked01")
    locked.locked_until = timezone.now() + dt.timedelta(minutes=10)
    locked.save(update_fields=["locked_until"])
    audit.record(actor=None, action="auth.login_failed", actor_name="locked01")
    html = client_as(role_user(Role.SECADMIN)).get("/").content.decode()
    assert "locked01" in html and "当前被锁定的账号" in html
    assert "登录失败" in html and "auth.login_failed" not in html


def test_the_auditor_sees_the_summary(role_user, client_as):
    audit.record(actor=None, action="staff.update")
    html = client_as(role_user(Role.AUDITOR)).get("/").content.decode()
    assert 'data-testid="home-audit-summary"' in html and "修改人员信息" in html


def test_the_audit_log_speaks_chinese_and_masks_numbers(role_user, client_as):
    id_number = make_id_number(42)
    audit.record(
        actor=None,
        action="account.roles",
        before={"roles": ["clerk"]},
        after={"roles": ["clerk", "center_admin"], "phone": "13812345678"},
    )
    audit.record(actor=None, action="staff.update", after={"id_number": id_number})
    html = client_as(role_user(Role.AUDITOR)).get("/audit/").content.decode()
    assert "修改角色" in html and "窗口人员、中心管理员" in html
    assert "center_admin" not in html and "account.roles" not in html and "{'" not in html
    assert id_number not in html and "13812345678" not in html
    assert "138****5678" in html


def test_action_labels_never_show_codes():
    assert action_label("staff.separate") == "登记离职"
    assert action_label("exams.paper.add_rule") == "考试·操作"
    assert action_label("feedback.rectification.overdue") == "好差评·逾期"
    assert "." not in action_label("something.new")


def test_numbers_in_free_text_are_masked():
    [change] = readable_changes({"note": f"身份证 {make_id_number(7)}，电话 13900001111"})
    assert make_id_number(7) not in change.value and "139****1111" in change.value


def test_the_sysadmin_sees_accounts_and_the_admins_without_two_factors(
    role_user, client_as, settings
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_REQUIRED_ROLES = ["sysadmin", "secadmin", "auditor", "center_admin"]
    sysadmin = role_user(Role.SYSADMIN, username="sys01")
    TOTPDevice.objects.create(user=sysadmin, name="手机验证器", confirmed=True)
    role_user(Role.SECADMIN, username="sec01")
    pending = role_user(Role.AUDITOR, username="aud01")
    TOTPDevice.objects.create(user=pending, name="手机验证器", confirmed=False)
    role_user(Role.CLERK, username="clerk01")
    stopped = role_user(Role.CENTER_ADMIN, username="gone01", is_active=False)
    locked = role_user(Role.CLERK, username="locked01")
    locked.locked_until = timezone.now() + dt.timedelta(minutes=10)
    locked.save(update_fields=["locked_until"])

    response = client_as(sysadmin).get("/")
    card = next(c for c in response.context["cards"] if c["template"].endswith("accounts.html"))
    assert (card["active"], card["stopped"], card["locked"]) == (5, 1, 1)
    assert [u.username for u in card["without_otp"]] == ["aud01", "sec01"]
    html = response.content.decode()
    assert "尚未绑定两步验证的管理账号" in html and stopped.username not in html
    assert 'data-testid="home-accounts"' not in client_as(locked).get("/").content.decode()
