"""Response headers that keep personal data out of caches.

A signed-in user's pages and API answers, and every download (exports), get
`Cache-Control: no-store`, so a shared office computer's browser cache or a proxy never keeps a
copy of ID numbers or case lists. A public response without its own `Cache-Control` gets it too;
a public view that may be cached says so itself (`@cache_control(...)`). Static files are served
by whitenoise before this middleware and keep their long-lived caching.
"""

from functools import lru_cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.http import http_date


def is_personal(request, response) -> bool:
    """The response belongs to one person: a signed-in user's, or a file download."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return response.get("Content-Disposition", "").startswith("attachment")


NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_personal(request, response) or not response.has_header("Cache-Control"):
            # what add_never_cache_headers writes, without parsing a header that is replaced
            response.headers["Cache-Control"] = NEVER_CACHE
            if not response.has_header("Expires"):
                response.headers["Expires"] = http_date()
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the header built once. django-csp builds the policy from
    settings on every response (about 40 µs, more than a small API answer's own JSON); it is
    the same string unless a response uses a nonce, django-csp's per-view decorators or its
    excluded prefixes, and such responses still go through django-csp unchanged."""

    def process_response(self, request, response):
        if not _default_policy_applies(request, response):
            return super().process_response(request, response)
        header, report_only = _default_policies()
        if header:
            response[HEADER] = header
        if report_only:
            response[HEADER_REPORT_ONLY] = report_only
        # as django-csp: a nonce asked for after the header is written is an error
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


_PER_RESPONSE = (
    *("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt"),
    *("_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro"),
)


def _default_policy_applies(request, response) -> bool:
    """Nothing of this request or response changes the policy django-csp would build."""
    if settings.DEBUG or getattr(request, "_csp_nonce", None) is not None:
        return False
    if HEADER in response or HEADER_REPORT_ONLY in response:
        return False
    if any(hasattr(response, name) for name in _PER_RESPONSE):
        return False
    names = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    policies = [getattr(settings, name, None) or {} for name in names]
    return not any(policy.get("EXCLUDE_URL_PREFIXES") for policy in policies)


@lru_cache(maxsize=1)
def _default_policies() -> tuple[str, str]:
    """The header and the report-only header as django-csp builds them from settings."""
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _forget_policies(*, setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _default_policies.cache_clear()
