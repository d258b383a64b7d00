"""Importing a county's old ledgers (issue 17): messy files made here as offices make them,
the exact preview of each row, all-or-nothing imports through the services, idempotent
re-imports, who may import what, and the templates."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.policy import Refused
from ledgers import services
from ledgers.choices import ImportStatus
from ledgers.models import ColumnMapping, LedgerImport
from projects.choices import FilingStatus, FundsStatus, Stage
from projects.models import FundsRecord, Lead, Project
from tests.factories import IndustryFactory, LeadFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TITLE = "青山县2024年招商引资项目台账"
PROJECT_HEADERS = [
    "序号",
    "项目名称",
    "投资方",
    "所属乡镇",
    "产业",
    "合同金额（亿元）",
    "项目进度",
    "签约时间",
    "开工日期",
    "包保领导",
    "是否重点",
]


def cells(text: str) -> list:
    """A row written "1|项目|…": empty cells as None, whole numbers as numbers (45356 is a
    date as Excel keeps it), everything else as the text an office typed."""
    return [None if c == "" else int(c) if c.isdigit() else c for c in text.split("|")]


# signed 2024-03-05 and started 2024-09-01 for 2 亿元, 甲镇, a key project of 县领导's
MOTOR = cells(
    "1|新能源电机项目|江苏恒动电机有限公司|甲镇|装备制造|2|开工|2024.3.5|2024/9/1|县领导|是"
)


def xlsx(rows: list[list], merges: tuple[str, ...] = (), name: str = "台账.xlsx"):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    output = BytesIO()
    book.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def project_ledger(*data: list, merges: tuple[str, ...] = ()):
    """A 项目台账 as a bureau keeps it: a merged title, a line of who filled it in, the
    headers on row 3."""
    rows = [
        [TITLE],
        ["填报单位：县投资促进局", None, None, "填报日期：2024年12月"],
        PROJECT_HEADERS,
    ]
    return xlsx(rows + [list(row) for row in data], merges=("A1:K1", *merges))


@pytest.fixture
def industry(db):
    return IndustryFactory(code="ZB", name="装备制造")


def run(ledger: LedgerImport, step=lambda percent: None) -> LedgerImport:
    """The preview as its Celery task runs it (tests/ledgers/test_celery.py runs the
    tasks on a real worker)."""
    ledger = services.ledger_map(ledger=ledger, user=ledger.created_by, mapping=ledger.mapping)
    return services.ledger_preview(ledger=ledger, progress=step)


def outcomes(ledger: LedgerImport) -> dict[int, tuple[str, dict]]:
    return {row.number: (row.outcome, row.errors) for row in ledger.rows.all()}


def imported(ledger: LedgerImport) -> LedgerImport:
    services.ledger_confirm(ledger=ledger, user=ledger.created_by)
    ledger.refresh_from_db()
    return services.ledger_import(ledger=ledger, progress=lambda percent: None)


def test_a_messy_project_ledger_is_previewed_row_by_row(
    bureau_user, unit_a, unit_b, industry, leader
):
    ProjectFactory(name="物流园二期", unit=unit_b, industry=industry)
    upload = project_ledger(
        MOTOR,
        cells("2|光伏组件项目|晶辉光伏有限公司||装备制造|0.5|签约|2024年5月18日|||否"),
        cells("3|包装材料项目|华包有限公司||装备制造|约5000|在谈||||"),
        cells("4|农产品加工项目|绿源食品有限公司|不存在镇|装备制造|0.3|在谈||||"),
        cells("5|物流园项目|顺达物流有限公司|乙镇|装备制造|1|开工|45356|||"),
        cells("6|物流园二期|顺达物流有限公司|乙镇|装备制造|1|在谈||||"),
        merges=("D4:D6",),  # 甲镇 written once for its three projects
    )
    ledger = services.ledger_upload(user=bureau_user, kind="projects", file=upload)
    assert ledger.header_row == 3
    assert ledger.headers[1:4] == ["项目名称", "投资方", "所属乡镇"]
    # every column is recognised by its common name; 序号 is not imported
    assert ledger.mapping == {
        "1": "name",
        "2": "investor",
        "3": "unit",
        "4": "industry",
        "5": "contract_amount_wan",
        "6": "stage",
        "7": "signed_on",
        "8": "started_on",
        "9": "leader",
        "10": "is_key",
    }
    ledger = run(ledger)
    assert ledger.status == ImportStatus.PREVIEWED
    rows = outcomes(ledger)
    assert {n: outcome for n, (outcome, _errors) in rows.items()} == {
        4: "new",
        5: "new",  # the merged 甲镇 fills rows 5 and 6
        6: "error",
        7: "error",
        8: "error",
        9: "existing",
    }
    # each error names the field and the reason, in Chinese
    assert rows[6][1] == {"contract_amount_wan": "合同金额：不是金额"}
    assert rows[7][1] == {"unit": "责任单位：找不到单位“不存在镇”"}
    assert rows[8][1] == {"started_on": "“开工”阶段需要开工日期"}
    assert ledger.counts == {"new": 2, "error": 3, "existing": 1}
    assert ledger.unmatched == {"unit": ["不存在镇"]}
    row_4 = ledger.rows.get(number=4).data
    assert (row_4["contract_amount_wan"], row_4["signed_on"], row_4["started_on"]) == (
        "20000.00",
        "2024-03-05",
        "2024-09-01",
    )
    assert ledger.rows.get(number=5).data["contract_amount_wan"] == "5000.00"
    # nothing is written before the confirmation, and rows with errors refuse it
    assert Project.objects.count() == 1
    with pytest.raises(ValidationError, match="有 3 行存在错误"):
        services.ledger_confirm(ledger=ledger, user=bureau_user)


def test_the_bureau_imports_projects_with_their_stages_and_history(
    bureau_user, unit_a, industry, leader
):
    upload = project_ledger(
        MOTOR,
        cells("2|光伏组件项目|晶辉光伏有限公司|甲镇|装备制造|0.5|签约|2024年5月18日|||否"),
        cells("3|包装材料项目|华包有限公司|甲镇|装备制造|3,000万元|在谈||||"),
    )
    ledger = run(services.ledger_upload(user=bureau_user, kind="projects", file=upload))
    assert ledger.counts == {"new": 3}
    ledger = imported(ledger)
    assert ledger.status == ImportStatus.IMPORTED, ledger.error
    motor = Project.objects.get(name="新能源电机项目")
    assert (motor.stage, motor.signed_on, motor.started_on) == (
        Stage.STARTED,
        dt.date(2024, 3, 5),
        dt.date(2024, 9, 1),
    )
    assert (motor.contract_amount_wan, motor.is_key, motor.leader, motor.unit) == (
        Decimal("20000.00"),
        True,
        leader,
        unit_a,
    )
    assert motor.entered_on == dt.date(2024, 3, 5)
    # its timeline: entered, signed, started, each on the ledger's date
    assert list(motor.stage_changes.order_by("id").values_list("to_stage", "happened_on")) == [
        (Stage.NEGOTIATING, dt.date(2024, 3, 5)),
        (Stage.SIGNED, dt.date(2024, 3, 5)),
        (Stage.STARTED, dt.date(2024, 9, 1)),
    ]
    # the ledger stands as the contract the bureau filed
    contract = motor.documents.get()
    assert contract.status == FilingStatus.FILED and contract.file.name == ledger.file.name
    assert Project.objects.get(name="包装材料项目").contract_amount_wan == Decimal("3000.00")
    # the audit history says who imported it, and from which file
    history = motor.history.earliest("history_date")
    assert history.history_user == bureau_user
    assert history.history_change_reason == ledger.reason
    assert "台账.xlsx" in ledger.reason

    # the same file again changes nothing
    again = run(
        services.ledger_upload(
            user=bureau_user,
            kind="projects",
            file=project_ledger(
                MOTOR,
            ),
        )
    )
    assert again.counts == {"existing": 1}
    with pytest.raises(ValidationError, match="没有需要导入的数据"):
        services.ledger_confirm(ledger=again, user=bureau_user)
    assert Project.objects.count() == 3


def test_a_row_refused_while_importing_rolls_back_the_whole_import(bureau_user, unit_a, industry):
    headers = ["项目编号", "项目名称", "责任单位", "产业", "协议引资额（万元）", "项目进度"]
    upload = xlsx(
        [
            headers,
            ["QS-001", "甲项目", "甲镇", "装备制造", 3000, "在谈"],
            ["QS-002", "乙项目", "甲镇", "装备制造", 2000, "在谈"],
        ]
    )
    ledger = run(services.ledger_upload(user=bureau_user, kind="projects", file=upload))
    assert ledger.counts == {"new": 2}
    # after the preview, someone enters a project under the second code
    ProjectFactory(code="QS-002", name="别的项目", unit=unit_a, industry=industry)
    ledger = imported(ledger)
    assert ledger.status == ImportStatus.FAILED
    assert ledger.error == "第 3 行：已有此编号的项目。"
    assert not Project.objects.filter(name__in=["甲项目", "乙项目"]).exists()  # not even the first


def test_an_officer_imports_leads_of_their_unit_from_a_gbk_csv(officer_a, unit_a, unit_b, industry):
    LeadFactory(company_name="浙江华远新材料有限公司", unit=unit_b, industry=industry)
    text = "\n".join(
        [
            "企业名称,联系人,联系电话,拟投资项目,产业,信息来源,获取日期,跟进情况",
            "浙江华远新材料有限责任公司,陈立新,13805710001,改性塑料项目,装备制造,以商招商,2024年3月5日,已赴杭州对接",
            "江苏蓝天环保有限公司,王明,13905710002,环保设备项目,装备制造,展会,2024-04-01,",
            "江苏蓝天环保有限公司,王明,13905710002,环保设备二期,装备制造,展会,2024.4.2,",
            "安徽某某有限公司,李四,13705710003,某项目,不存在产业,其他,2024/5/1,",
            "湖北某某有限公司,赵五,13605710004,另一项目,装备制造,其他,明年,",
        ]
    )
    upload = SimpleUploadedFile("线索台账.csv", text.encode("gbk"))
    ledger = run(services.ledger_upload(user=officer_a, kind="leads", file=upload))
    assert {n: o for n, (o, _e) in outcomes(ledger).items()} == {
        2: "duplicate",  # the pool knows the company (有限责任公司 reads as 有限公司)
        3: "new",
        4: "duplicate",  # the row above names the same company
        5: "error",
        6: "error",
    }
    errors = outcomes(ledger)
    assert errors[5][1] == {"industry": "产业：找不到产业“不存在产业”"}
    assert errors[6][1] == {"received_on": "获取日期：不是日期（请写作 2024-03-05）"}
    assert ledger.unmatched == {"industry": ["不存在产业"]}


def test_funds_from_a_ledger_are_verified_only_when_the_bureau_imports_them(
    bureau_user, officer_a, unit_a, industry
):
    project = ProjectFactory(
        code="2024-0001",
        name="新能源电机项目",
        unit=unit_a,
        industry=industry,
        contract_amount_wan=20000,
        stage=Stage.STARTED,
        signed_on=dt.date(2024, 3, 5),
        started_on=dt.date(2024, 9, 1),
    )

    def funds_ledger():
        return xlsx(
            [
                ["项目名称", "责任单位", "月份", "到位资金（元）", "完成投资（万元）"],
                ["新能源电机项目", "甲镇", "2024年10月", "12,000,000", 800],
                ["新能源电机项目", "甲镇", "2024.11", "５００万元", None],
            ]
        )

    ledger = run(services.ledger_upload(user=officer_a, kind="funds", file=funds_ledger()))
    assert ledger.counts == {"new": 2}, list(ledger.rows.values("number", "errors"))
    ledger = imported(ledger)
    assert ledger.status == ImportStatus.IMPORTED, ledger.error
    records = FundsRecord.objects.filter(project=project).order_by("period", "kind")
    assert [(r.period, r.kind, r.amount_wan, r.status) for r in records] == [
        (dt.date(2024, 10, 1), "funds", Decimal("1200.00"), FundsStatus.SUBMITTED),
        (dt.date(2024, 10, 1), "investment", Decimal("800.00"), FundsStatus.SUBMITTED),
        (dt.date(2024, 11, 1), "funds", Decimal("500.00"), FundsStatus.SUBMITTED),
    ]
    FundsRecord.objects.all().delete()
    ledger = imported(
        run(services.ledger_upload(user=bureau_user, kind="funds", file=funds_ledger()))
    )
    assert set(FundsRecord.objects.values_list("status", flat=True)) == {FundsStatus.VERIFIED}
    record = FundsRecord.objects.get(period=dt.date(2024, 11, 1))
    assert record.verified_by == bureau_user
    assert record.history.latest("history_date").history_change_reason == ledger.reason


def test_who_may_import_what(officer_a, leader, unit_a, unit_b, industry):
    upload = project_ledger(
        [1, "乙镇的项目", "某公司", "乙镇", "装备制造", 1, "在谈", None, None, None, None],
        [2, "已签约项目", "某公司", "甲镇", "装备制造", 1, "签约", "2024-05-01", None, None, None],
        [3, "重点项目", "某公司", "甲镇", "装备制造", 1, "在谈", None, None, None, "是"],
        [4, "本镇在谈项目", "某公司", "甲镇", "装备制造", 1, "在谈", None, None, None, None],
    )
    ledger = run(services.ledger_upload(user=officer_a, kind="projects", file=upload))
    rows = outcomes(ledger)
    assert rows[4][0] == rows[5][0] == rows[6][0] == "error" and rows[7][0] == "new"
    assert rows[4][1] == {"unit": "责任单位：只能导入本单位的数据"}
    assert rows[5][1] == {
        "stage": "项目进度：已签约及以后阶段的项目由招商局导入（合同由招商局备案）"
    }
    assert rows[6][1] == {"is_key": "重点项目：重点项目由招商局认定"}
    with pytest.raises(Refused):
        services.ledger_upload(user=leader, kind="projects", file=project_ledger())


def test_a_mapping_chosen_by_hand_is_remembered_for_the_unit(bureau_user, unit_a, industry):
    upload = xlsx([["工程名", "责任单位", "产业", "投资额度"], ["甲项目", "甲镇", "装备制造", 100]])
    ledger = services.ledger_upload(user=bureau_user, kind="projects", file=upload)
    assert ledger.mapping == {"1": "unit", "2": "industry"}
    with pytest.raises(ValidationError, match="请选择“项目名称”所在的列"):
        services.ledger_map(ledger=ledger, user=bureau_user, mapping=ledger.mapping)
    services.ledger_map(
        ledger=ledger,
        user=bureau_user,
        mapping={"0": "name", "1": "unit", "2": "industry", "3": "contract_amount_wan"},
    )
    assert ColumnMapping.objects.get(header="工程名").field == "name"
    again = services.ledger_upload(
        user=bureau_user,
        kind="projects",
        file=xlsx(
            [["工程名", "责任单位", "产业", "投资额度"], ["乙项目", "甲镇", "装备制造", 100]]
        ),
    )
    assert again.mapping == {"0": "name", "1": "unit", "2": "industry", "3": "contract_amount_wan"}


@pytest.mark.parametrize("kind", ["leads", "projects", "funds"])
def test_each_template_imports_as_it_is(kind, bureau_user, client_as, unit_a, industry):
    response = client_as(bureau_user).get(f"/ledgers/template/{kind}/")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(1, 1).comment is not None  # a note on each header
    ledger = services.ledger_upload(
        user=bureau_user,
        kind=kind,
        file=SimpleUploadedFile("模板.xlsx", response.content),
    )
    # every column of the template is recognised without a mapping
    assert len(ledger.mapping) == len([h for h in headers if h])
    if kind == "projects":
        stage_column = headers.index("项目进度") + 1
        validations = sheet.data_validations.dataValidation
        assert any(sheet.cell(2, stage_column).coordinate in v.sqref for v in validations), (
            "the stage is chosen from a list"
        )


def test_funds_refused_while_importing_leave_nothing_written(bureau_user, unit_a, industry):
    motor = ProjectFactory(code="2024-0001", unit=unit_a, industry=industry, stage=Stage.SIGNED)
    other = ProjectFactory(code="2024-0002", unit=unit_a, industry=industry, stage=Stage.SIGNED)
    upload = xlsx(
        [
            ["项目编号", "月份", "到位资金（万元）"],
            ["2024-0001", "2025-01", 100],
            ["2024-0002", "2025-01", 200],
        ]
    )
    ledger = run(services.ledger_upload(user=bureau_user, kind="funds", file=upload))
    assert ledger.counts == {"new": 2}
    # after the preview, the second project is terminated: it takes no funds any more
    Project.objects.filter(pk=other.pk).update(stage=Stage.TERMINATED, termination_reason="撤资")
    ledger = imported(ledger)
    assert ledger.status == ImportStatus.FAILED
    assert ledger.error == "第 3 行：只有已签约且未终止的项目才填报到位资金。"
    assert not FundsRecord.objects.filter(project__in=[motor, other]).exists()


def test_imported_projects_are_flagged_as_possible_duplicates_like_entered_ones(
    bureau_user, unit_a, unit_b, industry
):
    from projects.models import DuplicatePair

    earlier = ProjectFactory(name="新能源电机项目", unit=unit_b, industry=industry)
    upload = xlsx(
        [
            ["项目名称", "投资方", "责任单位", "产业", "协议引资额（万元）"],
            ["新能源电机项目", "恒动电机有限公司", "甲镇", "装备制造", 3000],
            ["光伏组件项目", "晶辉光伏有限公司", "甲镇", "装备制造", 5000],
            ["光伏组件二期", "晶辉光伏有限责任公司", "甲镇", "装备制造", 5500],
        ]
    )
    ledger = imported(run(services.ledger_upload(user=bureau_user, kind="projects", file=upload)))
    assert ledger.status == ImportStatus.IMPORTED, ledger.error
    motor = Project.objects.get(name="新能源电机项目", unit=unit_a)
    solar, second = (
        Project.objects.get(name="光伏组件项目"),
        Project.objects.get(name="光伏组件二期"),
    )
    pairs = {(p.project_id, p.other_id): p.reason for p in DuplicatePair.objects.all()}
    assert pairs == {
        (motor.pk, earlier.pk): "项目名称相同",
        (second.pk, solar.pk): "投资方、产业相同，协议引资额相差 20% 以内",
    }


@pytest.mark.parametrize("count", [3, 30])
def test_the_preview_page_asks_the_same_queries_for_3_rows_or_30(
    count, bureau_user, client_as, unit_a, industry, django_assert_num_queries
):
    rows = [["项目名称", "责任单位", "产业", "协议引资额（万元）"]]
    rows += [[f"项目{n}", "甲镇", "装备制造" if n % 2 else "不存在产业", 100] for n in range(count)]
    ledger = run(services.ledger_upload(user=bureau_user, kind="projects", file=xlsx(rows)))
    client = client_as(bureau_user)
    client.get(f"/ledgers/{ledger.pk}/")  # the session's first request
    # the same seven queries whatever the number of rows (a page of 100 rows at most; one
    # of them the navbar's count of unread notifications)
    with django_assert_num_queries(7):
        response = client.get(f"/ledgers/{ledger.pk}/")
    assert response.status_code == 200
    assert f'data-outcome="all">{count}<' in response.content.decode()


def test_an_import_run_twice_writes_once(bureau_user, unit_a, industry):
    upload = xlsx([["项目名称", "责任单位", "产业"], ["甲项目", "甲镇", "装备制造"]])
    ledger = imported(run(services.ledger_upload(user=bureau_user, kind="projects", file=upload)))
    assert ledger.status == ImportStatus.IMPORTED
    again = services.ledger_import(ledger=ledger, progress=lambda percent: None)  # redelivered
    assert again.status == ImportStatus.IMPORTED and again.error == ""
    assert Project.objects.filter(name="甲项目").count() == 1


def test_imported_leads_keep_their_follow_ups_and_their_possible_duplicates(
    officer_a, unit_a, unit_b, industry
):
    pool = LeadFactory(company_name="浙江华远新材料有限公司", unit=unit_b, industry=industry)
    text = "\n".join(
        [
            "企业名称,联系人,联系电话,拟投资项目,产业,获取日期,跟进情况",
            "浙江华远新材料有限责任公司,陈立新,13805710001,改性塑料项目,装备制造,2024年3月5日,已赴杭州对接",
        ]
    )
    upload = SimpleUploadedFile("线索台账.csv", text.encode("gbk"))
    ledger = imported(run(services.ledger_upload(user=officer_a, kind="leads", file=upload)))
    assert ledger.status == ImportStatus.IMPORTED, ledger.error
    lead = Lead.objects.get(project_name="改性塑料项目")
    assert (lead.unit, lead.provided_by, lead.received_on) == (
        unit_a,
        officer_a,
        dt.date(2024, 3, 5),
    )
    assert list(lead.possible_duplicates.all()) == [pool]
    follow_up = lead.follow_ups.get()
    assert (follow_up.note, follow_up.happened_on) == ("已赴杭州对接", dt.date(2024, 3, 5))
