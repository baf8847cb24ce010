import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Load now what Django would load on the first request: the URLconf imports every view
    and builds the API's schemas (about 1.2 s of CPU). Done lazily, the first request of each
    worker waits for it, and so does every request queued behind it: with 300 simultaneous
    requests that was the slowest second of the run. `chuangkou serve` preloads this module in
    gunicorn's master, so it is done once, before any worker accepts a connection."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (imports the views, builds the reverse lookups)
    connections.close_all()  # nothing opened here may be shared by the forked workers


_warm_up()
