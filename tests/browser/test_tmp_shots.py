import datetime as dt
import pytest
from tests.browser.conftest import log_in
from tests.factories import TEST_PASSWORD
from tests.teams.trip_helpers import make_team, make_trip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_shots(page, unit_a, bureau_user):
    team = make_team("长三角驻点小分队", unit_a)
    t = make_trip(dt.date.today() - dt.timedelta(days=20), unit=unit_a, team=team, visits=["甲公司", "乙公司"])
    log_in(page, "bureau", TEST_PASSWORD)
    page.goto(page.base_url + f"/trips/{t.pk}/edit/")
    table = page.locator("table.trip-visits")
    print(table.evaluate("e => { let out=[]; let n=e; while(n){ const s=getComputedStyle(n); out.push(n.tagName+'.'+n.className+' '+s.display+' '+s.position+' '+s.float+' w='+n.getBoundingClientRect().width+' x='+n.getBoundingClientRect().x); n=n.parentElement;} return out.join('\\n') }"))
