"""窗口签到: a clerk signs in to one window at a time, only one of their department or one
they are posted to (org Assignment), and cannot take over a window someone else is signed in
to; the lobby manager of the center or the center admin can sign that person out.

The desk actions sign a clerk in by themselves at a free window they may work (the first 叫号
of the day), so the window's actions are always attributed to the clerk signed in there.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Staff, Window

from .. import permissions
from ..models import WindowSignIn


def open_sign_in(window: Window, *, lock: bool = False) -> WindowSignIn | None:
    qs = WindowSignIn.objects.filter(window=window, signed_out_at__isnull=True)
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.select_related("staff", "window").first()


def _check_may_sign_in(staff: Staff, window: Window) -> None:
    if not window.is_active:
        raise DomainError(f"{window.number} 号窗口已停用。", field="window")
    if not permissions.posted_to(staff, window):
        raise PermissionDeniedError(
            f"{window.number} 号窗口不属于您的部门，您也未派驻到该窗口，不能签到。"
        )


def _taken_message(sign_in: WindowSignIn) -> str:
    return (
        f"{sign_in.window.number} 号窗口已由 {sign_in.staff.name} 签到，不能接管；"
        "如需换人，请大堂经理或中心管理员先为其签退。"
    )


def _create(actor, staff: Staff, window: Window) -> WindowSignIn:
    try:
        with transaction.atomic():
            sign_in = WindowSignIn.objects.create(
                window=window, staff=staff, user=actor, signed_in_at=timezone.now()
            )
    except IntegrityError:  # someone signed in to this window (or this clerk elsewhere) first
        other = open_sign_in(window)
        if other is not None and other.staff_id != staff.pk:
            raise DomainError(_taken_message(other), field="window") from None
        raise DomainError("您已在其他窗口签到，请先签退。", field="window") from None
    audit.record(
        actor=actor,
        action="hall.sign_in",
        obj=sign_in,
        after={"window": window.number, "staff": staff.name},
    )
    return sign_in


def _close(sign_in: WindowSignIn, *, actor, reason: str) -> None:
    sign_in.signed_out_at = timezone.now()
    sign_in.signed_out_by = actor
    sign_in.save(update_fields=["signed_out_at", "signed_out_by"])
    audit.record(
        actor=actor,
        action="hall.sign_out",
        obj=sign_in,
        after={"window": sign_in.window.number, "staff": sign_in.staff.name, "reason": reason},
    )


@transaction.atomic
def sign_in_window(*, actor, window: Window) -> WindowSignIn:
    """签到 at `window`; signs the clerk out of the window they were at before."""
    staff = permissions.staff_of(actor)
    if staff is None or not has_role(actor, Role.CLERK):
        raise PermissionDeniedError("只有关联了窗口人员档案的窗口人员可以签到。")
    window = Window.objects.select_for_update().get(pk=window.pk)
    _check_may_sign_in(staff, window)
    current = open_sign_in(window, lock=True)
    if current is not None:
        if current.staff_id == staff.pk:
            return current
        raise DomainError(_taken_message(current), field="window")
    for previous in WindowSignIn.objects.select_for_update().filter(
        staff=staff, signed_out_at__isnull=True
    ):
        _close(previous, actor=actor, reason=f"转到 {window.number} 号窗口")
    return _create(actor, staff, window)


def _may_sign_out_others(actor, window: Window) -> bool:
    if has_role(actor, Role.CENTER_ADMIN):
        return True
    return has_role(actor, Role.LOBBY_MANAGER) and permissions.can_issue_at(actor, window.center)


@transaction.atomic
def sign_out_window(*, actor, window: Window) -> WindowSignIn:
    """签退: the clerk signed in at `window`, or the lobby manager / center admin for them."""
    current = open_sign_in(window, lock=True)
    if current is None:
        raise DomainError(f"{window.number} 号窗口当前没有人签到。", field="window")
    own = current.user_id == getattr(actor, "pk", None)
    if not own and not _may_sign_out_others(actor, window):
        raise PermissionDeniedError("只有本人、大堂经理或中心管理员可以签退。")
    _close(current, actor=actor, reason="本人签退" if own else "代为签退")
    return current


def signed_in_clerk(actor, window: Window) -> Staff:
    """The desk actions' check: the actor is, or becomes, the clerk signed in at `window`."""
    staff = permissions.staff_of(actor)
    current = open_sign_in(window)
    if current is not None and staff is not None and current.staff_id == staff.pk:
        return current.staff
    if current is not None:
        raise PermissionDeniedError(_taken_message(current))
    elsewhere = WindowSignIn.objects.filter(staff=staff, signed_out_at__isnull=True).first()
    if elsewhere is not None:
        raise DomainError(
            f"您已在 {elsewhere.window.number} 号窗口签到，请先签退或在工作台切换窗口。",
            field="window",
        )
    return sign_in_window(actor=actor, window=window).staff
