import pytest

from projects import services
from projects.matching import company_key
from projects.models import DuplicatePair, Lead
from projects.selectors import lead_possible_duplicates
from tests.factories import LeadFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("江苏恒瑞医药有限公司", "江苏恒瑞医药有限责任公司"),
        ("恒瑞医药（苏州）有限公司", "恒瑞医药(苏州)有限公司"),
        ("恒瑞 医药 有限公司", "恒瑞医药有限公司"),
        ("恒瑞医药股份有限公司", "恒瑞医药有限公司"),
        ("ＡＢＣ科技有限公司", "abc科技有限公司"),
    ],
)
def test_name_variants_are_the_same_company(first, second):
    assert company_key(first) == company_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("江苏恒瑞医药有限公司", "江苏恒瑞机械有限公司"),
        ("恒瑞医药有限公司", "恒瑞医药器械有限公司"),
    ],
)
def test_different_companies_stay_different(first, second):
    assert company_key(first) != company_key(second)


def test_the_shared_pool_finds_name_variants_and_phones_across_units(unit_a, unit_b, industry):
    existing = LeadFactory(
        unit=unit_b,
        industry=industry,
        company_name="恒瑞医药（苏州）有限公司",
        contact_phone="13912345678",
    )
    LeadFactory(
        unit=unit_b, industry=industry, company_name="无关企业有限公司", contact_phone="13800000001"
    )
    by_name = lead_possible_duplicates(company_name="恒瑞医药(苏州)有限责任公司", phone="")
    by_phone = lead_possible_duplicates(company_name="别的名字", phone="139-1234-5678")
    unrelated = lead_possible_duplicates(company_name="青山食品有限公司", phone="13700000000")
    assert list(by_name) == [existing]
    assert list(by_phone) == [existing]
    assert list(unrelated) == []


def lead_form(unit, industry, **overrides):
    data = {
        "company_name": "恒瑞医药（苏州）有限公司",
        "contact_name": "刘总",
        "contact_title": "总经理",
        "contact_phone": "13912345678",
        "project_name": "生物医药中试基地",
        "industry": industry.pk,
        "source": "event",
        "received_on": "2026-11-01",
        "estimated_amount_wan": "8000",
    }
    data.update(overrides)
    return data


def test_the_officer_is_shown_duplicates_then_confirms(client_as, officer_a, unit_b, industry):
    LeadFactory(unit=unit_b, industry=industry, company_name="恒瑞医药(苏州)有限责任公司")
    client = client_as(officer_a)
    response = client.post("/leads/new/", lead_form(officer_a.unit, industry))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="duplicate-warning"' in page
    assert "乙镇" in page  # the other unit's lead is shown with its unit
    assert Lead.objects.filter(unit=officer_a.unit).count() == 0
    response = client.post(
        "/leads/new/", lead_form(officer_a.unit, industry, confirm_duplicates="on")
    )
    assert response.status_code == 302
    lead = Lead.objects.get(unit=officer_a.unit)
    assert lead.possible_duplicates.count() == 1
    assert lead.provided_by == officer_a


def test_the_phone_must_be_chinese(client_as, officer_a, industry):
    response = client_as(officer_a).post(
        "/leads/new/", lead_form(officer_a.unit, industry, contact_phone="12345")
    )
    assert "电话：请输入中国大陆手机号（11 位）或带区号的固定电话。" in response.content.decode()
    for phone in ["13812345678", "+86 138 1234 5678", "0512-66668888", "051266668888-123"]:
        response = client_as(officer_a).post(
            "/leads/new/",
            lead_form(
                officer_a.unit,
                industry,
                contact_phone=phone,
                company_name=f"新企业{phone}",
                confirm_duplicates="on",
            ),
        )
        assert response.status_code == 302, phone


def test_required_fields_are_named(client_as, officer_a, industry):
    response = client_as(officer_a).post("/leads/new/", {"source": "event"})
    text = response.content.decode()
    for label in ["投资企业名称", "法人或关键人", "电话", "拟投资项目", "产业"]:
        assert f"{label}：该字段是必填项。" in text


def test_similar_projects_are_flagged_and_the_bureau_merges(
    officer_a, bureau_user, industry, unit_b
):
    first = services.project_create(
        data=dict(
            name="新能源电池项目",
            investor="宁德时代有限公司",
            industry=industry,
            contract_amount_wan=10000,
            unit=officer_a.unit,
        ),
        user=officer_a,
    )
    second = services.project_create(
        data=dict(
            name="动力电池二期",
            investor="宁德时代有限责任公司",
            industry=industry,
            contract_amount_wan=11500,
            unit=unit_b,
        ),
        user=bureau_user,
    )
    ProjectFactory(
        name="无关项目",
        investor="宁德时代有限公司",
        industry=industry,
        contract_amount_wan=50000,
        unit=unit_b,
    )  # same investor, amount far off
    pair = DuplicatePair.objects.get()
    assert (pair.project, pair.other) == (second, first)
    services.duplicate_decide(pair=pair, user=bureau_user, decision="same")
    second.refresh_from_db()
    assert second.stage == "terminated" and first.code in second.termination_reason
    pair.refresh_from_db()
    assert (pair.decision, pair.decided_by) == ("same", bureau_user)


def test_a_distinct_decision_is_kept(officer_a, bureau_user, industry):
    for _ in range(2):
        services.project_create(
            data=dict(
                name="光伏组件项目",
                investor="隆基绿能有限公司",
                industry=industry,
                contract_amount_wan=20000,
                unit=officer_a.unit,
            ),
            user=officer_a,
        )
    pair = DuplicatePair.objects.get()
    services.duplicate_decide(pair=pair, user=bureau_user, decision="distinct")
    services.project_update(project=pair.project, user=officer_a, data={})  # saving again
    assert DuplicatePair.objects.get().decision == "distinct"
