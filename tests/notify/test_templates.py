"""Every template fits one SMS (70 characters with the signature) at the longest field values."""

import pytest

from chuangkou.notify.catalog import SMS_LIMIT, TEMPLATES, render

SIGNATURE = "【政务服务中心】"


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_each_template_fits_one_sms_at_its_longest(code):
    spec = TEMPLATES[code]
    longest = {name: "字" * n for name, n in spec.fields.items()}
    text = SIGNATURE + render(code, longest)
    assert len(text) <= SMS_LIMIT, f"{code}: {len(text)} characters: {text}"
    assert "{" not in text and "}" not in text


def test_a_field_longer_than_its_limit_is_cut():
    text = render(
        "ticket_called", {"number": "A001", "window": "C08", "queue": "不动产登记交易一窗受理综合"}
    )
    assert text == "请 A001 号到 C08 号窗口办理不动产登记交易一窗…业务。"
    assert len(SIGNATURE + render("case_completed", {"matter": "x" * 99, "how": "y" * 99})) <= 70


def test_missing_fields_render_empty_not_fail():
    assert render("ticket_ahead", {}) == "您的  号前面还有  人，请回到等候区留意叫号。"
