"""An answer's evidence is served only to those who may see the order."""

import pytest

from tests.supervision.conftest import answer

pytestmark = pytest.mark.django_db


def test_the_evidence_is_served_to_who_sees_the_order(client_as, api_as, users, order, officer_a):
    kept = answer(officer_a, order)
    url = kept.evidence_url
    for key in ("officer_a", "unit_head_a", "bureau", "leader"):
        response = client_as(users[key]).get(url)
        assert response.status_code == 200, key
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
    assert client_as(users["officer_b"]).get(url).status_code == 404
    assert api_as(users["officer_b"]).get(url).status_code == 404
    assert api_as(users["officer_a"]).get(url).status_code == 200
    assert client_as(None).get(url).status_code == 302
