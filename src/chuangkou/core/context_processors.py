from .navigation import items_for
from .roles import roles_of


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = roles_of(user)
    return {
        "nav_items": items_for(user),
        "user_roles": sorted(r.label for r in held),
    }
