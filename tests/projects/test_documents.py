import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from projects.models import Document
from tests.projects.conftest import PDF, PNG

pytestmark = pytest.mark.django_db


def upload(client, project, name, content):
    return client.post(
        f"/projects/{project.pk}/documents/",
        {
            "document-kind": "contract",
            "document-title": "投资合同",
            "document-file": SimpleUploadedFile(name, content),
        },
    )


def test_a_pdf_is_accepted_and_served_to_those_who_may_see_it(client_as, project_a, officer_a):
    response = upload(client_as(officer_a), project_a, "合同.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.status, document.uploaded_by) == (
        "application/pdf",
        "pending",
        officer_a,
    )
    served = client_as(officer_a).get(document.get_absolute_url())
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert served["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("合同.pdf", PNG, "文件内容不是 PDF 文件。"),
        ("合同.docx", PDF, "文件内容不是 DOCX 文件。"),
        (
            "合同.exe",
            b"MZ\x90\x00",
            "只接受 PDF、图片（PNG、JPEG）和 Office 文件（Word、Excel、PowerPoint）。",
        ),
    ],
)
def test_the_type_is_checked_by_content(client_as, project_a, officer_a, name, content, message):
    response = upload(client_as(officer_a), project_a, name, content)
    assert response.status_code == 200
    assert f"文件：{message}" in response.content.decode()
    assert not Document.objects.exists()


def test_size_is_limited(project_a, officer_a, settings):
    big = SimpleUploadedFile("大.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(services.ValidationError) as refused:
        services.document_upload(project=project_a, user=officer_a, kind="contract", file=big)
    assert "file" in refused.value.message_dict


def test_the_bureau_returns_a_document_with_a_reason(client_as, project_a, officer_a, bureau_user):
    upload(client_as(officer_a), project_a, "合同.pdf", PDF)
    document = Document.objects.get()
    url = f"/projects/{project_a.pk}/documents/{document.pk}/review/"
    client_as(bureau_user).post(url, {"review-status": "returned"})
    document.refresh_from_db()
    assert document.status == "pending"  # no reason: refused
    client_as(bureau_user).post(
        url, {"review-status": "returned", "review-return_reason": "缺少盖章页"}
    )
    document.refresh_from_db()
    assert (document.status, document.return_reason) == ("returned", "缺少盖章页")
