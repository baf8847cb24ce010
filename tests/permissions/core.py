"""Access to core's pages and endpoints: sign-in, accounts, audit log, my account, tokens."""

from .matrix import ALL_SIGNED_IN, AUD, CA, NOBODY, SEC, SYS, Access, special

ACCESS: list[Access] = [
    # --- core pages ---
    Access("GET", "/login/", ALL_SIGNED_IN, ok=302, anonymous=200, url_name="core:login"),
    Access("POST", "/logout/", ALL_SIGNED_IN, ok=302, anonymous=302, url_name="core:logout"),
    Access("GET", "/logout/", NOBODY, denied=405, anonymous=405, url_name="core:logout"),
    Access("GET", "/audit/", frozenset({AUD}), url_name="core:audit_log"),
    Access("GET", "/audit/?person=x&start=2018-01-01&end=bad", frozenset({AUD})),
    Access("POST", "/audit/", NOBODY, denied=405, anonymous=405, url_name="core:audit_log"),
    Access("GET", "/healthz", ALL_SIGNED_IN, anonymous=200, url_name="core:healthz"),
    # 我的导出: everyone signed in sees their own list; a job and its file are its owner's only
    Access("GET", "/exports/", ALL_SIGNED_IN, url_name="core:export_list"),
    Access("GET", "/exports/?page=99999999999999999999", ALL_SIGNED_IN),
    Access("GET", "/exports/{export}/", frozenset({CA}), denied=404, url_name="core:export_job"),
    Access(
        "GET",
        "/exports/{export}/download/",
        frozenset({CA}),
        denied=404,
        url_name="core:export_download",
    ),
    Access(
        "POST",
        "/exports/{export}/delete/",
        frozenset({CA}),
        ok=302,
        denied=404,
        url_name="core:export_action",
    ),
    Access("POST", "/exports/{export}/retry/", frozenset({CA}), ok=302, denied=404),
    # 取消导出: the owner's finished job answers with a message (302), others' jobs do not exist
    Access("POST", "/exports/{export}/cancel/", frozenset({CA}), ok=302, denied=404),
    Access("GET", "/exports/{export}/cancel/", NOBODY, denied=405, anonymous=405),
    Access("POST", "/exports/{export}/nonsense/", NOBODY, denied=404),
    Access("GET", "/exports/99999999999999999999/", NOBODY, denied=404, anonymous=404),
    Access("GET", "/accounts/", frozenset({SYS, SEC}), url_name="core:accounts"),
    Access("GET", "/accounts/new/", frozenset({SYS}), url_name="core:account_create"),
    Access(
        "POST",
        "/accounts/new/",
        frozenset({SYS}),
        ok=302,
        data={"username": "newcomer", "password": "Wq7Lp3Nx!", "roles": ["clerk"]},
        url_name="core:account_create",
    ),
    Access("GET", "/accounts/{account_id}/", frozenset({SYS, SEC}), url_name="core:account_detail"),
    Access(
        "POST",
        "/accounts/{account_id}/",
        frozenset({SEC}),
        ok=302,
        special=special(sysadmin=200),  # shown "no permission" as a message, nothing done
        data={"action": "unlock"},
        url_name="core:account_detail",
    ),
    Access(
        "POST",
        "/accounts/{account_id}/",
        frozenset({SYS}),
        ok=302,
        data={"action": "roles", "roles": ["auditor"]},
    ),
    Access(
        "POST",
        "/accounts/{account_id}/",
        frozenset({SEC}),
        ok=302,
        special=special(sysadmin=200),  # shown "no permission" as a message, nothing done
        data={"action": "revoke_tokens"},
    ),
    Access(
        "POST",
        "/accounts/requests/999999/",
        frozenset({SYS, SEC}),
        ok=404,  # no such pending request
        data={"action": "approve"},
        url_name="core:role_request_decide",
    ),
    Access(
        "GET",
        "/accounts/requests/999999/",
        NOBODY,
        denied=405,
        anonymous=405,
        url_name="core:role_request_decide",
    ),
    # the official holiday calendar (节假日与调休), kept by the center admin
    Access("GET", "/calendar/", frozenset({CA}), url_name="core:official_days"),
    # --- sign-in steps and my account ---
    Access("GET", "/login/otp/", ALL_SIGNED_IN, ok=302, anonymous=302, url_name="core:login_otp"),
    Access("GET", "/login/otp/setup/", ALL_SIGNED_IN, anonymous=302, url_name="core:otp_setup"),
    Access("GET", "/account/", ALL_SIGNED_IN, url_name="core:my_account"),
    Access(
        "POST",
        "/account/",
        ALL_SIGNED_IN,
        data={"action": "token", "name": "脚本", "days": 30},
        url_name="core:my_account",
    ),
    Access("GET", "/account/password/", ALL_SIGNED_IN, url_name="core:password_change"),
    Access(
        "POST",
        "/account/password/",
        ALL_SIGNED_IN,  # a form error: wrong old password
        data={"old_password": "x", "new_password": "y", "new_password2": "y"},
        url_name="core:password_change",
    ),
    # --- home and org pages ---
    # --- API ---
    Access("GET", "/api/v1/core/me", ALL_SIGNED_IN),
    Access("GET", "/api/v1/core/tokens", ALL_SIGNED_IN),
    Access("POST", "/api/v1/core/tokens", ALL_SIGNED_IN, ok=201, data={"name": "脚本"}),
    Access("POST", "/api/v1/core/tokens/{token_id}/revoke", NOBODY, denied=404),  # not one's own
]
