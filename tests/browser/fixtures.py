"""Browser tests: Playwright for Python driving Debian's Chromium, headless (no browser download).

They skip with a reason when /usr/bin/chromium is missing, unless CHUANGKOU_REQUIRE_BROWSER=1
(set by CI), where a missing browser is a failure.
"""

import os
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures and
# tests here are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# expect() retries an assertion until it holds: as long as the pages' own default (5 s is short
# on 2 busy cores)
expect.set_options(timeout=30_000)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):  # registered through pytest_plugins
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CHUANGKOU_REQUIRE_BROWSER") == "1":
        return  # the browser fixture fails loudly instead
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("CHUANGKOU_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, settings):
    # The live server speaks plain http, like `chuangkou demo`.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    violations: list[str] = []
    new_context = browser.new_context

    def watched_context(**kwargs):
        """Other contexts the test opens (a board, a desk) are watched as well."""
        opened = new_context(**kwargs)
        watch_csp(opened, violations)
        return opened

    browser.new_context = watched_context
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(30_000)  # generous: 2 busy cores, a live server per test
    tab = context.new_page()
    yield tab
    del browser.new_context
    context.close()
    assert not violations, f"Content-Security-Policy violations: {violations}"


def watch_csp(context, violations: list[str] | None = None) -> list[str]:
    """Collect the console reports of Content-Security-Policy violations of every tab."""
    violations = [] if violations is None else violations

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            where = message.page.url if message.page else "?"
            violations.append(f"{where}: {message.text}")

    context.on("console", on_console)
    return violations


def wait_for_js(page, expression: str, timeout: float = 15_000) -> None:
    """`page.wait_for_function` without eval inside the page, which the Content-Security-Policy
    forbids (Playwright's polling evaluates the string there): polls through the DevTools
    protocol until `expression` is truthy."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout:.0f} ms: {expression}")
        page.wait_for_timeout(50)


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under test-artifacts/ for a person to look at."""
    path = ARTIFACTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, username: str) -> None:
    """Sign in through the login page as `username` (the factories' password), from a clean
    session."""
    from tests.factories import DEFAULT_PASSWORD

    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def fits(page, width: int) -> None:
    """The page needs no sideways scrolling at `width` px."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"
