import pytest

from teams.models import Unit, User

pytestmark = pytest.mark.django_db


def test_a_change_through_the_page_is_in_the_history(client_as, bureau_user, unit_a):
    client_as(bureau_user).post(
        f"/units/{unit_a.pk}/edit/",
        {"code": "UA", "name": "甲镇（更名）", "kind": "park", "sort_order": 7},
    )
    latest = unit_a.history.latest()
    assert latest.history_user == bureau_user
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    assert sorted(delta.changed_fields) == ["kind", "name", "sort_order"]
    change = next(c for c in delta.changes if c.field == "name")
    assert (change.old, change.new) == ("甲镇", "甲镇（更名）")


def test_a_change_through_the_api_is_in_the_history(api_as, bureau_user, officer_a):
    response = api_as(bureau_user).patch(
        f"/api/v1/users/{officer_a.pk}/", {"full_name": "改过的名字"}, format="json"
    )
    assert response.status_code == 200
    latest = officer_a.history.latest()
    assert latest.history_user == bureau_user
    delta = latest.diff_against(latest.prev_record)
    assert delta.changed_fields == ["full_name"]


def test_creation_and_deactivation_are_in_the_history(client_as, bureau_user):
    client = client_as(bureau_user)
    client.post("/units/new/", {"code": "NEWP", "name": "新园区", "kind": "park", "sort_order": 1})
    unit = Unit.objects.get(code="NEWP")
    client.post(f"/units/{unit.pk}/active/")
    types = list(unit.history.order_by("history_date").values_list("history_type", flat=True))
    assert types == ["+", "~"]
    assert unit.history.latest().history_change_reason == "已停用"


def test_the_history_tab_shows_who_what_and_when_in_chinese(
    client_as, bureau_user, unit_a, officer_a, unit_b
):
    client = client_as(bureau_user)
    client.post(
        f"/accounts/{officer_a.pk}/edit/",
        {
            "username": "officer_a",
            "full_name": "甲专员",
            "role": "unit_head",
            "unit": unit_b.pk,
            "phone": "",
            "email": "",
        },
    )
    page = client.get(f"/accounts/{officer_a.pk}/").content.decode()
    assert "历史记录" in page
    history = page[page.index('id="pane-history"') :]
    assert "修改" in history and "招商局员" in history
    # Field names, choices and units read as people know them.
    assert "<td>角色</td><td>招商专员</td><td>单位负责人</td>" in history
    assert "<td>单位</td><td>甲镇</td><td>乙镇</td>" in history


def test_passwords_are_never_copied_into_the_history(client_as, bureau_user, officer_a):
    client_as(bureau_user).post(
        f"/accounts/{officer_a.pk}/password/",
        {"password1": "Fresh-password-2026", "password2": "Fresh-password-2026"},
    )
    latest = officer_a.history.latest()
    assert latest.history_change_reason == "密码已重置"
    assert not hasattr(latest, "password")
    assert User.history.model._meta.get_field("full_name")
