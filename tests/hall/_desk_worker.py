"""A clerk working a window in a process of its own, for the concurrency tests.

    python -m tests.hall._desk_worker TEST_DB_NAME USER_ID WINDOW_ID

Prints "ready" once Django is set up on the test database, waits for a line on stdin (the
start signal shared by all workers), serves the window until nobody waits, and prints the ids
of the tickets it called as JSON.
"""

import json
import os
import sys
import time


def serve_until_empty(user, window, pause: float = 0.0) -> list[int]:
    """A clerk pressing call next, start, finish until nobody waits; the ids they called.

    `pause` is the clerk's breath between two tickets (SQLite's write lock is not fair: a
    process that has just committed often takes it again before the waiting ones wake up)."""
    from chuangkou.hall import services

    got = []
    while True:
        ticket = services.call_next_ticket(actor=user, window=window)
        if ticket is None:
            return got
        got.append(ticket.pk)
        services.start_ticket(actor=user, ticket=ticket, window=window)
        services.finish_ticket(actor=user, ticket=ticket, window=window)
        time.sleep(pause)


def main(db_name: str, user_id: str, window_id: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings")
    import django

    django.setup()
    from django.db import connections

    connections["default"].settings_dict["NAME"] = db_name
    from chuangkou.core.models import User
    from chuangkou.org.models import Window

    user = User.objects.get(pk=int(user_id))
    window = Window.objects.select_related("center").get(pk=int(window_id))
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        print(json.dumps(serve_until_empty(user, window, pause=0.02)), flush=True)
    finally:
        connections.close_all()


if __name__ == "__main__":
    main(*sys.argv[1:4])
