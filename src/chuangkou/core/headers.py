"""Response headers that keep personal data out of caches.

A signed-in user's pages and API answers, and every download (exports), get
`Cache-Control: no-store`, so a shared office computer's browser cache or a proxy never keeps a
copy of ID numbers or case lists. A public response without its own `Cache-Control` gets it too;
a public view that may be cached says so itself (`@cache_control(...)`). Static files are served
by whitenoise before this middleware and keep their long-lived caching.
"""

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
