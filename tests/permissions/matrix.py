"""Who may call which page or endpoint: the declaration type and the role sets (NetBox's habit).

One `Access` per page and API operation (and per notable variant: an export, a form post). For
each, `allowed` names the roles that get `ok`; every other signed-in role gets `denied` unless
`special` says otherwise; anonymous visitors get a redirect to the login page (pages) or 401
(API) unless `anonymous` says otherwise (public pages and endpoints: the code they answer).

Paths and bodies use `{placeholders}` filled from the world's ids (tests/permissions/world.py):
a body value that is exactly "{name}" becomes the id itself (a number in JSON). `data` may also
be a callable taking the world. `url_name` marks the declaration that covers a page's URL name
for the completeness check; API operations are matched by method and path.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pytest

from chuangkou.core.roles import Role

from .world import ANONYMOUS, NO_ROLE

CA, DH, CLERK, LOBBY = Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.CLERK, Role.LOBBY_MANAGER
GRADER, SUPERVISOR, COUNSELOR = Role.GRADER, Role.SUPERVISOR, Role.COUNSELOR
SYS, SEC, AUD = Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR
ALL_SIGNED_IN = frozenset({*Role, NO_ROLE})
ALL_ROLES = frozenset(Role)
NOBODY: frozenset = frozenset()
EVERYONE = [*Role, NO_ROLE, ANONYMOUS]

_PLACEHOLDER = re.compile(r"^\{(\w+)\}$")


@dataclass(frozen=True)
class Access:
    method: str
    path: str
    allowed: frozenset
    ok: int = 200
    denied: int = 403
    anonymous: int | None = None
    special: Mapping = field(default_factory=lambda: MappingProxyType({}))
    data: Any = None
    url_name: str = ""  # pages: the URL name covered (for the completeness check)
    xfail: str = ""  # the code is wrong here: why (the declaration states the right answer)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def route(self) -> str:
        return self.path.split("?", 1)[0]

    @property
    def public(self) -> bool:
        return self.anonymous is not None

    def expected(self, who) -> int:
        if who == ANONYMOUS:
            if self.anonymous is not None:
                return self.anonymous
            return 401 if self.is_api else 302
        if who in self.special:
            return self.special[who]
        return self.ok if who in self.allowed else self.denied

    def refused(self, who) -> bool:
        """Refused callers must leave no audited write behind."""
        if who == ANONYMOUS:
            return not self.public
        return who not in self.allowed

    def url(self, ids: Mapping) -> str:
        return self.path.format(**ids)

    def payload(self, world) -> Any:
        data = self.data(world) if isinstance(self.data, Callable) else self.data
        return _filled(data, world.ids)

    def param(self):
        marks = [pytest.mark.xfail(reason=self.xfail, strict=True)] if self.xfail else []
        return pytest.param(self, id=str(self), marks=marks)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _filled(value, ids: Mapping):
    if isinstance(value, str):
        whole = _PLACEHOLDER.match(value)
        return ids[whole.group(1)] if whole else value.format(**ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: _filled(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, ids) for v in value]
    return value


def special(**by_role) -> Mapping:
    """`special(dept_head=404, no_role=404)`: codes for roles that differ from the rule."""
    return MappingProxyType({Role(k) if k != NO_ROLE else k: v for k, v in by_role.items()})
