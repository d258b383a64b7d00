"""Final steps ask first, in Chromium: the draw (final and public) and removing companies
visited from a trip are done only once the person answers the question "yes"."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from reports.models import Draw
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD
from trips.models import Trip, TripVisit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_draw_is_made_only_once_the_bureau_confirms(page, bureau_user, unit_a, unit_b):
    log_in(page, "bureau", TEST_PASSWORD)
    page.goto(f"{page.base_url}/reports/draws/")
    form = page.get_by_test_id("draw-form")
    form.get_by_label("抽取对象").select_option("units")
    form.get_by_label("抽取数量").fill("1")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    form.get_by_role("button", name="抽取").click()
    assert asked == ["现在抽取吗？抽取结果即为最终结果并公开，不会重新抽取。"]
    page.wait_for_timeout(300)
    assert not Draw.objects.exists()
    page.once("dialog", lambda dialog: dialog.accept())
    form.get_by_role("button", name="抽取").click()
    page.wait_for_url(f"{page.base_url}/reports/draws/*/")
    assert Draw.objects.count() == 1
    assert page.console_errors == []


def test_companies_visited_are_removed_only_once_confirmed(page, officer_a, unit_a):
    trip = Trip.objects.create(
        unit=unit_a,
        leader_name="甲专员",
        destination="苏州",
        start_on=dt.date(2026, 1, 5),
        end_on=dt.date(2026, 1, 6),
    )
    TripVisit.objects.create(trip=trip, company="苏州甲公司")
    TripVisit.objects.create(trip=trip, company="苏州乙公司")
    log_in(page, "officer_a", TEST_PASSWORD)
    page.goto(f"{page.base_url}/trips/{trip.pk}/edit/")
    page.locator("#visit-rows input[type=checkbox][name$='-DELETE']").first.check()
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="保存").click()
    assert asked == ["从本次外出招商中删除 1 家走访企业吗？"]
    page.wait_for_timeout(300)
    assert trip.visits.count() == 2
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("外出招商已保存。")).to_be_visible()
    assert list(trip.visits.values_list("company", flat=True)) == ["苏州乙公司"]
    assert page.console_errors == []
