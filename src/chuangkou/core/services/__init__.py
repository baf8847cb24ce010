"""Accounts, roles, passwords, API tokens and two factors (三权分立: the system administrator
manages accounts and roles, the security administrator approves administrative roles, unlocks
accounts and revokes tokens, the auditor reads the log). Every change is audited."""

from .accounts import (
    ADMIN_ROLES,
    approve_role_request,
    create_account,
    create_account_interactive,
    reject_role_request,
    set_active,
    set_roles,
    unlock_account,
)
from .passwords import change_own_password, reset_password
from .tokens import issue_api_token, revoke_all_tokens, revoke_api_token
from .two_factor import (
    confirm_totp_enrolment,
    otp_required,
    reset_two_factor,
    start_totp_enrolment,
    verify_second_factor,
)

__all__ = [
    "ADMIN_ROLES",
    "approve_role_request",
    "change_own_password",
    "confirm_totp_enrolment",
    "create_account",
    "create_account_interactive",
    "issue_api_token",
    "otp_required",
    "reject_role_request",
    "reset_password",
    "reset_two_factor",
    "revoke_all_tokens",
    "revoke_api_token",
    "set_active",
    "set_roles",
    "start_totp_enrolment",
    "unlock_account",
    "verify_second_factor",
]
