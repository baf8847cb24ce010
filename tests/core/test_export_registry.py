"""The tables exported in the background (core.exports) and who finds 我的导出 in the sidebar."""

from chuangkou.core import exports, navigation


def test_every_large_list_is_registered():
    assert set(exports._KINDS) == {
        "cases.case",
        "hall.ticket",
        "consult.consultation",
        "notify.message",
    }


def test_my_exports_shows_to_every_role_that_may_export_and_no_other():
    assert set(navigation.EXPORTERS) == exports.exporter_roles()
