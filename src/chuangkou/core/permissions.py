"""Role checks shared by views and API."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .errors import PermissionDeniedError
from .roles import Role, has_role


def require_role(user, *roles: Role) -> None:
    """Raise PermissionDeniedError unless the user holds one of `roles` (services call this)."""
    if not has_role(user, *roles):
        raise PermissionDeniedError()


def role_required(*roles: Role):
    """View decorator: sign-in required; with roles given, one of them is required too."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
