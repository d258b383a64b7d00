"""The template of each kind of ledger: its columns with a note on each header, a filled
example row, and lists to choose from (stages, categories, units, industries …) as data
validation, so a file made from it imports without a mapping."""

from __future__ import annotations

from io import BytesIO

import xlsxwriter
from django.conf import settings
from django.utils.translation import gettext as _

from ledgers.choices import LedgerKind
from ledgers.columns import COLUMNS, Column, Read
from projects.choices import Category, LeadSource, Origin, ProjectType, Stage
from projects.models import Industry
from teams.models import Team, Unit

EXAMPLES: dict[str, dict[str, object]] = {
    LedgerKind.LEADS: {
        "company_name": "浙江华远新材料有限公司",
        "contact_name": "陈立新",
        "contact_title": "董事长",
        "contact_phone": "13805710001",
        "current_products": "改性塑料",
        "project_name": "年产2万吨改性塑料项目",
        "planned_products": "汽车用改性塑料",
        "scale": "年产2万吨",
        "period": "18个月",
        "requirements": "用地50亩，用电2000千伏安",
        "estimated_amount_wan": 30000,
        "source": "以商招商",
        "received_on": "2024-03-05",
        "follow_ups": "2024-03-20 赴杭州对接，企业有意向",
        "notes": "",
    },
    LedgerKind.PROJECTS: {
        "code": "",
        "name": "年产5000台新能源电机项目",
        "investor": "江苏恒动电机有限公司",
        "investor_origin": "省外",
        "project_type": "新建",
        "category": "工业",
        "contract_amount_wan": 20000,
        "land_area_mu": 80,
        "is_key": "是",
        "stage": "开工",
        "signed_on": "2024-05-18",
        "started_on": "2024-09-01",
        "agreed_start_on": "2024-09-30",
        "expected_output_wan": 50000,
        "expected_tax_wan": 2000,
        "expected_jobs": 300,
        "description": "建设标准厂房4万平方米",
    },
    LedgerKind.FUNDS: {
        "project_code": "2024-0001",
        "project_name": "年产5000台新能源电机项目",
        "period": "2024-09",
        "funds_wan": 1200,
        "investment_wan": 800,
        "note": "银行进账单",
    },
}
CHOICE_LISTS = {
    "investor_origin": Origin,
    "project_type": ProjectType,
    "category": Category,
    "source": LeadSource,
    "stage": Stage,
}


def _choices(column: Column) -> list[str]:
    """The names a column's cells may take (for its drop-down list)."""
    if column.read in (Read.CHOICE, Read.STAGE):
        return [str(label) for label in CHOICE_LISTS[column.field].labels]
    if column.read == Read.BOOL:
        return [str(_("Yes")), str(_("No"))]
    if column.read == Read.UNIT:
        return list(
            Unit.objects.filter(is_active=True)
            .order_by("kind", "sort_order", "code")
            .values_list("name", flat=True)
        )
    if column.read == Read.INDUSTRY:
        return list(
            Industry.objects.filter(is_active=True)
            .order_by("sort_order", "code")
            .values_list("name", flat=True)
        )
    if column.read == Read.TEAM:
        return list(Team.objects.order_by("name").values_list("name", flat=True))
    return []


def template_workbook(kind: str) -> tuple[bytes, str]:
    """The template's bytes and its file name (青山县项目台账导入模板.xlsx)."""
    output = BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required = book.add_format(
        {"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True}
    )
    sheet = book.add_worksheet(_("Ledger"))
    lists = book.add_worksheet(_("Choices"))
    example = EXAMPLES[kind]
    for col, column in enumerate(COLUMNS[kind]):
        title = column.headers[0]
        if column.read == Read.AMOUNT and column.field != "land_area_mu":
            title += "（万美元）" if column.field == "foreign_amount_usd_wan" else "（万元）"
        sheet.write(0, col, title, required if column.required else header)
        note = [str(column.label)]
        if column.required:
            note.append(_("Required."))
        if column.note:
            note.append(str(column.note))
        if len(column.headers) > 1:
            note.append(_("Also read under: %(names)s") % {"names": "、".join(column.headers[1:])})
        sheet.write_comment(0, col, "\n".join(note), {"x_scale": 2, "y_scale": 1.5})
        value = example.get(column.field)
        if column.field in ("unit", "industry", "team", "cooperating_units", "leader"):
            value = (_choices(column) or [""])[0] if column.field != "cooperating_units" else ""
        if value not in (None, ""):
            sheet.write(1, col, value)
        sheet.set_column(col, col, max(12, len(title) * 2 + 2))
        names = _choices(column)
        if names:
            lists.write(0, col, title, header)
            for row, name in enumerate(names, start=1):
                lists.write(row, col, name)
            letter = xlsxwriter.utility.xl_col_to_name(col)
            sheet.data_validation(
                1,
                col,
                10000,
                col,
                {
                    "validate": "list",
                    "source": f"='{lists.name}'!${letter}$2:${letter}${len(names) + 1}",
                    "error_type": "warning",
                },
            )
    sheet.freeze_panes(1, 0)
    book.close()
    filename = _("%(county)s %(kind)s import template.xlsx") % {
        "county": settings.COUNTY_NAME,
        "kind": LedgerKind(kind).label,
    }
    return output.getvalue(), filename
