"""Every uploaded file through one view, after the access check, to a session and an API
token alike, with the same safe headers."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from tests.factories import ProjectFactory
from tests.projects.conftest import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(officer_a, unit_a):
    return services.document_upload(
        project=ProjectFactory(unit=unit_a),
        user=officer_a,
        kind="contract",
        file=SimpleUploadedFile("投资合同.pdf", PDF, content_type="application/pdf"),
    )


@pytest.fixture
def evidence(officer_a, bureau_user, unit_a):
    project = ProjectFactory(unit=unit_a, stage="signed", contract_amount_wan=5000)
    return services.funds_submit(
        user=officer_a,
        project=project,
        period=dt.date(2026, 1, 1),
        kind="funds",
        amount_wan=100,
        evidence=SimpleUploadedFile("银行回单.pdf", PDF, content_type="application/pdf"),
    )


def test_a_token_downloads_the_contract_the_api_names(api_as, officer_a, officer_b, contract):
    listed = api_as(officer_a).get(f"/api/v1/projects/{contract.project_id}/documents/").json()
    url = listed["results"][0]["file"]
    assert url == f"http://testserver/files/document/{contract.pk}/"
    response = api_as(officer_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    disposition = response["Content-Disposition"]  # the stored name (storage may suffix it)
    assert disposition.startswith(f"inline; filename*=utf-8''{quote('投资合同')}")
    assert disposition.endswith(".pdf")
    # another unit's token: as if it did not exist
    assert api_as(officer_b).get(url).status_code == 404


def test_a_token_downloads_evidence_and_a_session_too(
    api_as, client_as, officer_a, officer_b, evidence
):
    url = api_as(officer_a).get(f"/api/v1/funds/{evidence.pk}/").json()["evidence"]
    assert url.endswith(f"/files/evidence/{evidence.pk}/")
    for client in (api_as(officer_a), client_as(officer_a)):
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert api_as(officer_b).get(url).status_code == 404
    assert client_as(officer_b).get(url).status_code == 404


def test_without_credentials_a_browser_logs_in_and_a_script_is_told(client, api_as, contract):
    url = f"/files/document/{contract.pk}/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.get(url, HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401
    assert client.get("/files/no-such-kind/1/").status_code in (302, 404)


def test_a_type_that_could_script_is_never_shown_inline(client_as, officer_a, contract):
    # A file whose stored type is not one the browser shows safely is a download.
    type(contract).objects.filter(pk=contract.pk).update(content_type="text/html")
    response = client_as(officer_a).get(f"/files/document/{contract.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    # a PDF opens in the page unless a download is asked for
    type(contract).objects.filter(pk=contract.pk).update(content_type="application/pdf")
    assert (
        client_as(officer_a)
        .get(f"/files/document/{contract.pk}/")["Content-Disposition"]
        .startswith("inline")
    )
    assert (
        client_as(officer_a)
        .get(f"/files/document/{contract.pk}/?download=1")["Content-Disposition"]
        .startswith("attachment")
    )
