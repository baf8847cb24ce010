"""Who may do what in 评先表彰: run campaigns, nominate, score, vote, record commendations."""

from chuangkou.core.roles import Role, has_role

ADMIN_ROLES = (Role.CENTER_ADMIN,)
NOMINATOR_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)
STAFF_VOTER_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.CLERK, Role.LOBBY_MANAGER)
CAMPAIGN_READER_ROLES = (*STAFF_VOTER_ROLES, Role.GRADER, Role.AUDITOR)
COMMENDATION_ROLES = (Role.CENTER_ADMIN, Role.DEPT_HEAD)
COMMENDATION_READER_ROLES = (*COMMENDATION_ROLES, Role.CLERK, Role.AUDITOR)


def can_manage(user) -> bool:
    """发起、推进、公布评选: the center admin."""
    return has_role(user, *ADMIN_ROLES)


def heads_department(user, department_id: int | None) -> bool:
    return bool(
        department_id
        and has_role(user, Role.DEPT_HEAD)
        and user.headed_departments.filter(pk=department_id).exists()
    )


def can_nominate_for(user, department_id: int | None) -> bool:
    """推荐: the head of the department (or the center admin for any department)."""
    return has_role(user, Role.CENTER_ADMIN) or heads_department(user, department_id)


def can_score(user, campaign) -> bool:
    """评审打分: a member of the campaign's panel."""
    return bool(
        getattr(user, "is_authenticated", False) and campaign.panel.filter(pk=user.pk).exists()
    )


def can_vote_as_staff(user) -> bool:
    return has_role(user, *STAFF_VOTER_ROLES)


def can_record_commendation(user, department_id: int | None) -> bool:
    """登记锦旗、感谢信、集体荣誉: the center admin, or the head of the department."""
    return has_role(user, Role.CENTER_ADMIN) or heads_department(user, department_id)


def can_certify(user, nomination) -> bool:
    """荣誉证书: the center admin and the head of the nominating department."""
    return has_role(user, Role.CENTER_ADMIN) or heads_department(user, nomination.department_id)
