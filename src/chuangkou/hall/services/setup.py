"""队列设置: queues with their matters and windows, and each center's rules (取号设置)."""

import re

from django.db import transaction

from chuangkou.catalog.models import Matter
from chuangkou.core import audit
from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import require_role
from chuangkou.org.models import Center, Window

from .. import permissions
from ..models import HallSettings, ServiceQueue

PREFIX = re.compile(r"^[A-Z]{1,2}$")
SETTINGS_FIELDS = (
    "target_wait_minutes",
    "max_recalls",
    "checkin_early_minutes",
    "checkin_late_minutes",
)
SETTINGS_LIMITS = {
    "target_wait_minutes": (1, 240, "等候时长目标"),
    "max_recalls": (1, 10, "重呼次数"),
    "checkin_early_minutes": (0, 240, "最早提前签到"),
    "checkin_late_minutes": (0, 240, "最晚迟到签到"),
}


def _queue_snapshot(queue: ServiceQueue) -> dict:
    return {
        "prefix": queue.prefix,
        "name": queue.name,
        "average_service_minutes": queue.average_service_minutes,
        "is_active": queue.is_active,
        "matters": sorted(queue.matters.values_list("code", flat=True)),
        "windows": sorted(queue.windows.values_list("number", flat=True)),
    }


def _clean_queue(center: Center, prefix: str, name: str, minutes: int, windows, exclude_pk):
    prefix = (prefix or "").strip().upper()
    if not PREFIX.match(prefix):
        raise DomainError("号码前缀应为 1 到 2 个大写英文字母，例如 A。", field="prefix")
    others = ServiceQueue.objects.filter(center=center, prefix=prefix).exclude(pk=exclude_pk)
    if others.exists():
        raise DomainError(f"本中心已有前缀为 {prefix} 的队列。", field="prefix")
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写队列名称。", field="name")
    if not 1 <= minutes <= 240:
        raise DomainError("平均办理时长应为 1 至 240 分钟。", field="average_service_minutes")
    foreign = [w.number for w in windows if w.center_id != center.pk]
    if foreign:
        raise DomainError(f"窗口 {'、'.join(foreign)} 不属于{center.name}。", field="windows")
    return prefix, name


@transaction.atomic
def save_queue(
    *,
    actor,
    center: Center,
    prefix: str,
    name: str,
    average_service_minutes: int = 8,
    is_active: bool = True,
    matters: list[Matter] | tuple = (),
    windows: list[Window] | tuple = (),
    queue: ServiceQueue | None = None,
) -> ServiceQueue:
    """新建或修改取号队列 (center admin). A queue stays in its center."""
    require_role(actor, *permissions.HALL_ADMINS)
    if queue is not None and queue.center_id != center.pk:
        raise DomainError("队列不能移到其他中心。", field="center")
    prefix, name = _clean_queue(
        center, prefix, name, average_service_minutes, windows, queue.pk if queue else None
    )
    before = _queue_snapshot(queue) if queue is not None else None
    queue = queue or ServiceQueue(center=center)
    queue.prefix, queue.name = prefix, name
    queue.average_service_minutes, queue.is_active = average_service_minutes, is_active
    queue.save()
    queue.matters.set(matters)
    queue.windows.set(windows)
    after = _queue_snapshot(queue)
    if before != after:
        audit.record(
            actor=actor,
            action="hall.queue_create" if before is None else "hall.queue_update",
            obj=queue,
            before=before,
            after=after,
        )
    return queue


@transaction.atomic
def update_hall_settings(*, actor, center: Center, **values: int) -> HallSettings:
    """修改取号设置 of a center (target wait, recalls before no-show, check-in limits)."""
    require_role(actor, *permissions.HALL_ADMINS)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise DomainError(f"未知的设置项：{'、'.join(sorted(unknown))}。")
    for field, value in values.items():
        low, high, label = SETTINGS_LIMITS[field]
        if not isinstance(value, int) or not low <= value <= high:
            raise DomainError(f"{label}应为 {low} 至 {high} 的整数。", field=field)
    rules, _ = HallSettings.objects.select_for_update().get_or_create(center=center)
    before = {f: getattr(rules, f) for f in SETTINGS_FIELDS}
    for field, value in values.items():
        setattr(rules, field, value)
    rules.save()
    after = {f: getattr(rules, f) for f in SETTINGS_FIELDS}
    if before != after:
        audit.record(
            actor=actor, action="hall.settings_update", obj=rules, before=before, after=after
        )
    return rules
