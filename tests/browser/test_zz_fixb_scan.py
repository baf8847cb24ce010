# TEMPORARY (fixB): scan every sidebar page on a phone, collect all too-wide pages. Delete me.
import pytest

from chuangkou.core.demo import ACCOUNTS
from chuangkou.core.models import User
from chuangkou.core.navigation import items_for
from chuangkou.demo import load_demo

from .fixtures import screenshot
from .test_every_page import PHONE, _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDEST = """() => { const out = []; for (const e of document.querySelectorAll('body *')) {
 const r = e.getBoundingClientRect(); if (r.right > 392) out.push([r.right, e.tagName + '.' + e.className + ' ' + (e.textContent||'').trim().slice(0,40)]); }
 out.sort((a,b)=>b[0]-a[0]); return out.slice(0,6); }"""


def test_scan(page):
    load_demo()
    wide = []
    ctx = page.context
    if True:
        for username, _r, _w in ACCOUNTS:
            ctx.clear_cookies()
            _login(page, username)
            page.set_viewport_size(PHONE)
            seen = set()
            for item in items_for(User.objects.get(username=username)):
                if item["url"] in seen:
                    continue
                seen.add(item["url"])
                page.goto(item["url"])
                page.wait_for_load_state("networkidle")
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 391:
                    screenshot(page, f"fixb/{username}-{item['url_name'].replace(':', '-')}")
                    wide.append((username, item["url"], width, page.evaluate(WIDEST)))
            page.set_viewport_size({"width": 1366, "height": 900})
    for w in wide:
        print("WIDE", w)
    assert not wide
