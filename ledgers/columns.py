"""The columns of each kind of ledger: the field a column fills, the headers offices give it
(项目名称/项目, 协议引资额（万元）/合同金额, 责任单位/所属乡镇 …), and how its cells are read.

A header is matched without its unit in brackets ("协议引资额(万元)" → "协议引资额"); the
unit in the brackets scales the column's amounts (ledgers.values.amount_scale).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ledgers.choices import LedgerKind


class Read(StrEnum):
    """How a column's cells are read."""

    TEXT = "text"
    AMOUNT = "amount"
    DATE = "date"
    MONTH = "month"
    INT = "int"
    BOOL = "bool"
    CHOICE = "choice"  # one of the field's choices, by its Chinese name or code
    UNIT = "unit"  # a unit by name or code
    UNITS = "units"  # several units, separated by 、，,；;
    INDUSTRY = "industry"  # an industry by name or code
    TEAM = "team"  # a team by name
    LEADER = "leader"  # a leader's account by name, else the name kept
    STAGE = "stage"


@dataclass(frozen=True)
class Column:
    field: str
    label: str | Promise
    read: Read
    headers: tuple[str, ...]  # the headers offices give it, without their unit
    required: bool = False
    note: str | Promise = ""  # the template's note on its header


def _column(field: str, label: str | Promise, read: Read, *headers: str, **extra) -> Column:
    return Column(field, label, read, headers, **extra)


LEAD_COLUMNS = (
    _column(
        "company_name",
        _("Investing company"),
        Read.TEXT,
        "投资企业名称",
        "投资企业",
        "企业名称",
        "投资方",
        "客商名称",
        "企业",
        required=True,
    ),
    _column(
        "contact_name",
        _("Legal representative or key person"),
        Read.TEXT,
        "法人或关键人",
        "联系人",
        "法人代表",
        "法定代表人",
        "关键人",
        required=True,
    ),
    _column("contact_title", _("Title"), Read.TEXT, "职务", "联系人职务"),
    _column(
        "contact_phone",
        _("Phone"),
        Read.TEXT,
        "联系电话",
        "电话",
        "手机",
        "手机号码",
        "联系方式",
        required=True,
    ),
    _column("current_products", _("Current products"), Read.TEXT, "原企业产品", "主营产品"),
    _column(
        "project_name",
        _("Proposed project"),
        Read.TEXT,
        "拟投资项目",
        "项目名称",
        "项目",
        "拟建项目",
        required=True,
    ),
    _column("planned_products", _("Planned products"), Read.TEXT, "产品", "拟生产产品"),
    _column("scale", _("Scale"), Read.TEXT, "规模", "建设规模"),
    _column("period", _("Construction period"), Read.TEXT, "建设周期", "周期"),
    _column(
        "requirements",
        _("Requirements (land, power, water)"),
        Read.TEXT,
        "基本要求",
        "用地用电用水要求",
        "要素需求",
    ),
    _column(
        "estimated_amount_wan",
        _("Estimated amount"),
        Read.AMOUNT,
        "预计投资额",
        "拟投资额",
        "投资额",
        "投资金额",
        "计划投资",
        note=_("In 万元 unless the header says 元 or 亿元."),
    ),
    _column("industry", _("Industry"), Read.INDUSTRY, "产业", "行业", "所属产业", required=True),
    _column("source", _("Source"), Read.CHOICE, "信息来源", "来源", "线索来源"),
    _column("unit", _("Unit"), Read.UNIT, "责任单位", "所属乡镇", "单位", "报送单位"),
    _column("team", _("Team"), Read.TEAM, "小分队", "招商小分队", "所属小分队"),
    _column("received_on", _("Received on"), Read.DATE, "获取日期", "登记日期", "日期"),
    _column(
        "follow_ups",
        _("Follow-ups"),
        Read.TEXT,
        "跟进情况",
        "跟踪情况",
        "进展情况",
        "对接情况",
        note=_("Free text: kept as one follow-up of the lead."),
    ),
    _column("notes", _("Notes"), Read.TEXT, "备注"),
)

PROJECT_COLUMNS = (
    _column(
        "code",
        _("Code"),
        Read.TEXT,
        "项目编号",
        "编号",
        note=_("The ledger's own code, kept as the project's (at most 20 characters)."),
    ),
    _column("name", _("Project name"), Read.TEXT, "项目名称", "项目", required=True),
    _column("investor", _("Investor"), Read.TEXT, "投资方", "投资企业", "签约企业", "投资主体"),
    _column("investor_origin", _("Investor origin"), Read.CHOICE, "客商来源", "资金来源地"),
    _column("project_type", _("Project type"), Read.CHOICE, "项目类型", "建设性质"),
    _column("industry", _("Industry"), Read.INDUSTRY, "产业", "行业", "所属产业", required=True),
    _column("category", _("Category"), Read.CHOICE, "项目类别", "产业类别", "类别"),
    _column(
        "contract_amount_wan",
        _("Contract amount"),
        Read.AMOUNT,
        "协议引资额",
        "合同金额",
        "协议投资额",
        "签约金额",
        "合同引资额",
        "总投资",
        note=_("In 万元 unless the header says 元 or 亿元."),
    ),
    _column("foreign_amount_usd_wan", _("Foreign investment"), Read.AMOUNT, "合同外资"),
    _column("land_area_mu", _("Land (亩)"), Read.AMOUNT, "用地", "用地面积", "占地面积", "占地"),
    _column("unit", _("Responsible unit"), Read.UNIT, "责任单位", "所属乡镇", "单位"),
    _column(
        "cooperating_units",
        _("Cooperating units"),
        Read.UNITS,
        "配合单位",
        "协同单位",
        "协作单位",
        note=_("Several units separated by 、"),
    ),
    _column("team", _("Team"), Read.TEAM, "引进小分队", "小分队"),
    _column(
        "leader",
        _("Responsible leader"),
        Read.LEADER,
        "包保领导",
        "包抓领导",
        "联系领导",
        note=_("A county leader's name: linked to their account when they have one."),
    ),
    _column("is_key", _("Key project"), Read.BOOL, "重点项目", "是否重点", "是否重点项目"),
    _column(
        "stage",
        _("Stage"),
        Read.STAGE,
        "项目进度",
        "当前阶段",
        "项目状态",
        "进展阶段",
        "阶段",
        note=_("在谈, 签约, 开工, 在建, 竣工, 投产 or 终止; each stage passed needs its date."),
    ),
    _column("entered_on", _("Entered on"), Read.DATE, "录入日期", "登记日期", "入库日期"),
    _column("signed_on", _("Signed on"), Read.DATE, "签约日期", "签约时间"),
    _column("started_on", _("Started on"), Read.DATE, "开工日期", "开工时间"),
    _column("completed_on", _("Completed on"), Read.DATE, "竣工日期", "竣工时间"),
    _column("producing_on", _("In production on"), Read.DATE, "投产日期", "投产时间"),
    _column("agreed_start_on", _("Agreed start date"), Read.DATE, "约定开工日期", "计划开工日期"),
    _column("terminated_on", _("Terminated on"), Read.DATE, "终止日期"),
    _column("termination_reason", _("Reason for termination"), Read.TEXT, "终止原因"),
    _column("expected_output_wan", _("Expected output"), Read.AMOUNT, "预计产值", "达产产值"),
    _column("expected_tax_wan", _("Expected tax"), Read.AMOUNT, "预计税收", "达产税收"),
    _column("expected_jobs", _("Expected jobs"), Read.INT, "预计就业", "带动就业"),
    _column("description", _("Description"), Read.TEXT, "项目简介", "建设内容", "备注"),
)

FUNDS_COLUMNS = (
    _column(
        "project_code",
        _("Project code"),
        Read.TEXT,
        "项目编号",
        "编号",
        note=_("The project's code, or leave it empty and give its name and unit."),
    ),
    _column("project_name", _("Project name"), Read.TEXT, "项目名称", "项目"),
    _column("unit", _("Responsible unit"), Read.UNIT, "责任单位", "所属乡镇", "单位"),
    _column(
        "period",
        _("Month"),
        Read.MONTH,
        "月份",
        "所属月份",
        "报送月份",
        "期间",
        required=True,
        note=_("The month, e.g. 2024-03."),
    ),
    _column(
        "funds_wan",
        _("Funds in place"),
        Read.AMOUNT,
        "到位资金",
        "本月到位资金",
        "到位金额",
        note=_("In 万元 unless the header says 元 or 亿元."),
    ),
    _column(
        "investment_wan",
        _("Completed investment"),
        Read.AMOUNT,
        "完成投资",
        "本月完成投资",
        "完成固定资产投资",
        note=_("In 万元 unless the header says 元 or 亿元."),
    ),
    _column("note", _("Note"), Read.TEXT, "备注", "说明"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    LedgerKind.LEADS: LEAD_COLUMNS,
    LedgerKind.PROJECTS: PROJECT_COLUMNS,
    LedgerKind.FUNDS: FUNDS_COLUMNS,
}

# The bracketed unit of a header: （万元）, (元), 【亿元】 …
_UNIT_IN_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")


def header_base(header: str) -> str:
    """A normalised header without its bracketed unit, as the variants are written."""
    return _UNIT_IN_BRACKETS.sub("", header).strip()


def columns_of(kind: str) -> dict[str, Column]:
    return {column.field: column for column in COLUMNS[kind]}


def column_for(kind: str, header: str) -> Column | None:
    """The column a normalised header names, if any offices give it."""
    base = header_base(header)
    for column in COLUMNS[kind]:
        if base in column.headers:
            return column
    return None


def is_known_header(header: str) -> bool:
    """Any kind's header: how the reader finds the header row under the title rows."""
    return any(column_for(kind, header) for kind in COLUMNS)


def auto_mapping(kind: str, headers: list[str], remembered: dict[str, str]) -> dict[str, str]:
    """Column index (a string, as JSON keeps it) → field: the unit's own mapping of a header
    first, then the common headers; each field at most once (the leftmost column)."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        if not header:
            continue
        if header in remembered:
            field = remembered[header]
        else:
            column = column_for(kind, header)
            field = column.field if column else ""
        if field and field not in taken:
            mapping[str(index)] = field
            taken.add(field)
    return mapping
