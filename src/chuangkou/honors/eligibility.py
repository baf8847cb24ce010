"""评选资格: who may be nominated for a campaign.

A staff member must be in post for the whole period: hired on or before its first day, not
separated on or before its last day, and posted (org Assignment rows, one after another
without a gap) on every day of it. A window must be active. Neither may carry a confirmed
veto-level finding (一票否决) of the supervision app in the period.
"""

import datetime as dt

from django.utils import timezone

from chuangkou.org.models import Assignment, Separation, Staff, Window
from chuangkou.supervision.selectors import confirmed_veto_findings

ONE_DAY = dt.timedelta(days=1)


def veto_findings(*, staff=None, window=None, start: dt.date, end: dt.date) -> list[str]:
    """Confirmed veto-level findings against `staff` or `window` in [start, end], as short
    descriptions (the items marked `"veto": true` in supervision's checklist)."""
    findings = confirmed_veto_findings(staff=staff, window=window, start=start, end=end)
    local = timezone.localtime
    return [f"{local(f.visit.visited_at):%Y-%m-%d} 暗访发现“{f.item_label}”" for f in findings]


def _posted_throughout(staff: Staff, start: dt.date, end: dt.date) -> bool:
    """The staff member's postings cover every day of [start, end]."""
    covered_until = start - ONE_DAY
    postings = Assignment.objects.filter(staff=staff, start_date__lte=end).order_by("start_date")
    for posting in postings:
        if posting.start_date > covered_until + ONE_DAY:
            return False
        if posting.end_date is None:
            return True
        covered_until = max(covered_until, posting.end_date)
        if covered_until >= end:
            return True
    return False


def staff_problems(staff: Staff, start: dt.date, end: dt.date) -> list[str]:
    """Why `staff` may not be nominated for a campaign over [start, end] (empty: eligible)."""
    problems = []
    if staff.hire_date > start:
        problems.append(f"{staff.name} 于 {staff.hire_date} 入职，评选周期内未全程在岗。")
    gone = Separation.objects.filter(staff=staff, date__lte=end).first()
    if gone is not None:
        problems.append(f"{staff.name} 已于 {gone.date} 离职。")
    if not problems and not _posted_throughout(staff, start, end):
        problems.append(f"{staff.name} 的岗位记录未覆盖整个评选周期。")
    problems += [f"一票否决：{v}" for v in veto_findings(staff=staff, start=start, end=end)]
    return problems


def window_problems(window: Window, start: dt.date, end: dt.date) -> list[str]:
    """Why `window` may not be nominated (empty: eligible)."""
    problems = [] if window.is_active else [f"窗口 {window.number} 已停用。"]
    problems += [f"一票否决：{v}" for v in veto_findings(window=window, start=start, end=end)]
    return problems
