"""报名资格: who may register for a competition, with the reason when someone may not."""

from dataclasses import dataclass

from chuangkou.org.models import Staff

from .models import Competition
from .scoring import service_years


@dataclass(frozen=True)
class Eligibility:
    service_years: int
    reason: str = ""  # empty when eligible

    @property
    def ok(self) -> bool:
        return not self.reason


def check_eligibility(competition: Competition, staff: Staff) -> Eligibility:
    """Employment type among the allowed ones, in post, and enough whole years of service
    counted to the competition's reference date (服务年限计算截止日)."""
    reference = competition.service_reference_date
    years = service_years(staff.hire_date, reference)
    if staff.status == Staff.Status.LEFT:
        return Eligibility(years, f"{staff.name} 已离职，不能报名。")
    allowed = competition.allowed_employment_types
    if allowed and staff.employment_type not in allowed:
        kinds = "、".join(competition.employment_type_labels)
        return Eligibility(
            years,
            f"{staff.name} 的用工性质为{staff.get_employment_type_display()}，"
            f"本次竞聘仅限{kinds}人员报名。",
        )
    if years < competition.min_service_years:
        return Eligibility(
            years,
            f"{staff.name} 于 {staff.hire_date:%Y-%m-%d} 入职，截至 {reference:%Y-%m-%d} "
            f"服务满 {years} 年，不足 {competition.min_service_years} 年。",
        )
    return Eligibility(years)
