import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects import services
from tests.factories import IndustryFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def industry(db):
    return IndustryFactory(code="BIO", name="生物医药", is_leading=True)


@pytest.fixture
def project_a(officer_a, industry):
    """A project of unit A in negotiation, entered through the service."""
    return services.project_create(
        data=dict(
            name="甲镇生物医药产业园",
            investor="江苏恒瑞医药股份有限公司",
            industry=industry,
            contract_amount_wan=12000,
            land_area_mu=100,
            unit=officer_a.unit,
        ),
        user=officer_a,
        entered_on=dt.date(2026, 3, 1),
    )


def pdf_upload(name: str = "合同.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")
