"""Reading one ledger row into the values a service takes, with what is wrong with it.

The names in a row (units, industries, teams, leaders) are matched against lookups loaded
once per import, so reading 10 000 rows asks the database nothing per row; the record's
own rules (the model's field checks, `clean()` and constraints) and the stage gates
(projects.stages) are the same ones the services apply when the row is written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.db import RecordRules
from core.periods import month_start
from core.policy import Action, may
from core.roles import Role
from core.validators import phone_digits
from ledgers import values
from ledgers.choices import LedgerKind
from ledgers.columns import Column, Read, columns_of
from projects.choices import (
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    Category,
    FundsKind,
    LeadSource,
    Origin,
    ProjectType,
    Stage,
)
from projects.matching import company_key
from projects.models import Industry, Lead, Project
from projects.services import funds_errors, reached_before_termination
from projects.stages import missing_to_have_reached
from teams.models import Team, Unit, User

# Words offices write for a choice, beside its Chinese and English names and its code.
SYNONYMS: dict[str, dict[str, str]] = {
    "investor_origin": {
        "市外": Origin.OUT_OF_CITY,
        "省内市外": Origin.OUT_OF_CITY,
        "省外": Origin.OUT_OF_PROVINCE,
        "境外": Origin.FOREIGN,
        "外资": Origin.FOREIGN,
        "国外": Origin.FOREIGN,
        "港澳台": Origin.FOREIGN,
    },
    "project_type": {
        "新建": ProjectType.NEW,
        "增资扩产": ProjectType.EXPANSION,
        "扩建": ProjectType.EXPANSION,
        "技改": ProjectType.EXPANSION,
    },
    "category": {
        "工业": Category.INDUSTRIAL,
        "农业": Category.AGRICULTURAL,
        "文旅": Category.TOURISM,
        "旅游": Category.TOURISM,
        "商贸": Category.COMMERCE,
        "商贸物流": Category.COMMERCE,
        "物流": Category.COMMERCE,
        "基础设施": Category.INFRASTRUCTURE,
        "其他": Category.OTHER,
        "服务业": Category.OTHER,
    },
    "source": {
        "以商招商": LeadSource.BUSINESS_REFERRAL,
        "驻点招商": LeadSource.RESIDENT_TEAM,
        "展会": LeadSource.EVENT,
        "推介会": LeadSource.EVENT,
        "展会推介会": LeadSource.EVENT,
        "乡贤": LeadSource.HOMETOWN,
        "人脉": LeadSource.HOMETOWN,
        "中介": LeadSource.AGENT,
        "委托招商": LeadSource.AGENT,
        "网上招商": LeadSource.ONLINE,
        "客商来访": LeadSource.VISIT,
        "其他": LeadSource.OTHER,
    },
    "stage": {
        "在谈": Stage.NEGOTIATING,
        "洽谈": Stage.NEGOTIATING,
        "洽谈中": Stage.NEGOTIATING,
        "签约": Stage.SIGNED,
        "已签约": Stage.SIGNED,
        "开工": Stage.STARTED,
        "已开工": Stage.STARTED,
        "落地": Stage.STARTED,
        "在建": Stage.CONSTRUCTING,
        "竣工": Stage.COMPLETED,
        "已竣工": Stage.COMPLETED,
        "投产": Stage.PRODUCING,
        "已投产": Stage.PRODUCING,
        "投产达效": Stage.PRODUCING,
        "终止": Stage.TERMINATED,
        "已终止": Stage.TERMINATED,
    },
}
CHOICES = {
    "investor_origin": Origin,
    "project_type": ProjectType,
    "category": Category,
    "source": LeadSource,
    "stage": Stage,
}
SEPARATORS = str.maketrans({c: "、" for c in "，,；;/ "})


def name_key(text: Any) -> str:
    """A name as it is matched: full-width folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def _choice_words(field: str) -> dict[str, str]:
    choices = CHOICES[field]
    words = {name_key(value): value for value in choices.values}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            words.update({name_key(label): value for value, label in choices.choices})
    words.update({name_key(word): value for word, value in SYNONYMS.get(field, {}).items()})
    return words


@dataclass
class Lookups:
    """Everything a row's names are matched against, loaded once for an import."""

    units: dict[str, Unit]
    industries: dict[str, int]
    teams: dict[str, int]
    leaders: dict[str, int]
    choices: dict[str, dict[str, str]]

    @classmethod
    def load(cls) -> Lookups:
        units: dict[str, Unit] = {}
        for unit in Unit.objects.filter(is_active=True).only("id", "code", "name", "kind"):
            units[name_key(unit.code)] = unit
            units[name_key(unit.name)] = unit
        industries: dict[str, int] = {}
        for pk, code, name in Industry.objects.values_list("id", "code", "name"):
            industries[name_key(code)] = pk
            industries[name_key(name)] = pk
        teams = {name_key(name): pk for pk, name in Team.objects.values_list("id", "name")}
        leaders = {
            name_key(user.get_full_name()): user.pk
            for user in User.objects.filter(role=Role.LEADER, is_active=True)
        }
        return cls(units, industries, teams, leaders, {f: _choice_words(f) for f in CHOICES})


@dataclass
class ParsedRow:
    """A row read: the values (JSON-ready), the errors by field, the natural key."""

    number: int
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    unmatched: dict[str, str] = field(default_factory=dict)  # field → the name not found
    key: str = ""

    def fail(self, column: Column | str, message: str) -> None:
        name = column.field if isinstance(column, Column) else column
        self.errors.setdefault(name, message)


@dataclass
class RowReader:
    """Reads the rows of one import: its kind, which column holds which field (with the
    amount scale its header says), who imports and for which unit."""

    kind: str
    columns: dict[int, tuple[Column, Decimal]]  # column index → (column, amount scale)
    user: Any
    unit: Unit | None
    lookups: Lookups
    today: date = field(default_factory=timezone.localdate)
    rules: dict[type, RecordRules] = field(default_factory=dict)  # by model, made once

    @property
    def this_month(self) -> date:
        return month_start(self.today)

    @classmethod
    def for_import(
        cls, kind: str, headers: list[str], mapping: Mapping[str, str], user: Any, unit: Any
    ) -> RowReader:
        by_field = columns_of(kind)
        columns = {
            int(index): (by_field[name], values.amount_scale(headers[int(index)]))
            for index, name in mapping.items()
            if name in by_field
        }
        return cls(kind, columns, user, unit, Lookups.load())

    def cells(self, row_values: list[Any], parsed: ParsedRow) -> dict[str, Any]:
        """The row's cells by field, each read as its column says."""
        cells: dict[str, Any] = {}
        for index, (column, scale) in self.columns.items():
            raw = row_values[index] if index < len(row_values) else None
            try:
                value = self._read(column, raw, scale, parsed)
            except ValueError as error:
                parsed.fail(column, f"{column.label}：{error}")
                continue
            cells[column.field] = value
        return cells

    def _read(self, column: Column, raw: Any, scale: Decimal, parsed: ParsedRow) -> Any:
        read = column.read
        if read == Read.AMOUNT:
            return values.parse_amount(raw, scale)
        if read == Read.DATE:
            return values.parse_date(raw)
        if read == Read.MONTH:
            return values.parse_month(raw) if raw not in (None, "") else None
        if read == Read.INT:
            return values.parse_int(raw)
        if read == Read.BOOL:
            return values.parse_bool(raw)
        text = values.parse_text(raw)
        if read == Read.TEXT:
            return text
        if not text:
            return None
        if read in (Read.CHOICE, Read.STAGE):
            value = self.lookups.choices[column.field].get(name_key(text))
            if value is None:
                raise ValueError(_("“%(text)s” is not one of the choices") % {"text": text})
            return value
        if read == Read.UNITS:
            found = []
            for name in filter(None, text.translate(SEPARATORS).split("、")):
                unit = self.lookups.units.get(name_key(name))
                if unit is None:
                    parsed.unmatched.setdefault(column.field, name)
                    raise ValueError(_("no unit named “%(name)s”") % {"name": name})
                found.append(unit.pk)
            return found
        if read == Read.LEADER:
            return text  # a name; its account is looked up in _project
        table, message = {
            Read.UNIT: (self.lookups.units, _("no unit named “%(name)s”")),
            Read.INDUSTRY: (self.lookups.industries, _("no industry named “%(name)s”")),
            Read.TEAM: (self.lookups.teams, _("no team named “%(name)s”")),
        }[read]
        match = table.get(name_key(text))
        if match is None:
            parsed.unmatched.setdefault(column.field, text)
            raise ValueError(message % {"name": text})
        return match

    # --- one row of each kind -------------------------------------------------------------

    def read(self, number: int, row_values: list[Any]) -> ParsedRow:
        parsed = ParsedRow(number)
        cells = self.cells(row_values, parsed)
        for column, _scale in self.columns.values():
            if column.required and cells.get(column.field) in (None, "", []):
                parsed.fail(column, _("%(field)s: required") % {"field": column.label})
        unit = cells.pop("unit", None) or self.unit
        # a funds row's unit is its project's (a code names it; a name needs the unit)
        needs_unit = self.kind != LedgerKind.FUNDS or not cells.get("project_code")
        if unit is None and needs_unit and "unit" not in parsed.errors:
            parsed.fail("unit", _("Responsible unit: required (choose the unit or add a column)"))
        elif unit is not None and not (
            self.user.role == Role.BUREAU or unit.pk == self.user.unit_id
        ):
            parsed.fail("unit", _("Responsible unit: you may import only your own unit's rows"))
        reader: Callable[[ParsedRow, dict[str, Any], Unit | None], None] = {
            LedgerKind.LEADS: self._lead,
            LedgerKind.PROJECTS: self._project,
            LedgerKind.FUNDS: self._funds,
        }[self.kind]
        if unit is not None:
            parsed.data["unit"] = unit.pk
        reader(parsed, cells, unit)
        return parsed

    def _model_errors(self, parsed: ParsedRow, record: Any, exclude: list[str]) -> None:
        """The record's own rules, as the service will apply them (no foreign key lookups:
        those were matched by name)."""
        model = type(record)
        labels = {f.name: f.verbose_name for f in model._meta.fields}
        rules = self.rules.get(model)
        if rules is None:
            rules = self.rules[model] = RecordRules(model, exclude)
        found = rules.errors(record)
        try:
            record.clean()
        except ValidationError as error:
            found = {**error.message_dict, **found}
        for name, messages in found.items():
            label = labels.get(name, "")
            parsed.fail(name, f"{label}：{messages[0]}" if label else messages[0])

    def _lead(self, parsed: ParsedRow, cells: dict[str, Any], unit: Unit | None) -> None:
        cells.setdefault("received_on", None)
        data = {k: v for k, v in cells.items() if v not in (None, "")}
        lead = Lead(
            company_name=data.get("company_name", ""),
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            project_name=data.get("project_name", ""),
            source=data.get("source", LeadSource.OTHER),
            received_on=data.get("received_on") or self.today,
            estimated_amount_wan=data.get("estimated_amount_wan"),
            **{
                name: data.get(name, "")
                for name in (
                    "contact_title",
                    "current_products",
                    "planned_products",
                    "scale",
                    "period",
                    "requirements",
                    "notes",
                )
            },
        )
        self._model_errors(parsed, lead, ["unit", "industry", "team", "provided_by"])
        data["received_on"] = lead.received_on
        data.setdefault("source", lead.source)
        parsed.data.update(_jsonable(data))
        parsed.key = "｜".join((unit.name if unit else "", lead.company_name, lead.project_name))

    def _project(self, parsed: ParsedRow, cells: dict[str, Any], unit: Unit | None) -> None:
        data = {k: v for k, v in cells.items() if v not in (None, "", [])}
        stage = data.pop("stage", None) or _stage_from_dates(data)
        leader_name = data.pop("leader", "")
        if leader_name:
            leader = self.lookups.leaders.get(name_key(leader_name))
            data["leader_name"] = leader_name[:50]
            if leader is not None:
                data["leader"] = leader
        if (data.get("is_key") or "leader" in data) and not may(self.user, Action.PROJECT_SET_KEY):
            parsed.fail("is_key", _("Key project: only the bureau designates key projects"))
        if stage not in (Stage.NEGOTIATING,) and not may(self.user, Action.DOCUMENT_FILE):
            parsed.fail(
                "stage",
                _(
                    "Stage: projects signed or later are imported by the bureau, which files "
                    "their contracts"
                ),
            )
        code = data.get("code", "")
        if len(code) > 20:
            parsed.fail("code", _("Code: at most 20 characters"))
        dates = {name: data.get(name) for name in STAGE_DATE_FIELD.values()}
        project = Project(
            name=data.get("name", ""),
            investor=data.get("investor", "") or data.get("name", ""),
            contract_amount_wan=data.get("contract_amount_wan") or Decimal(0),
            stage=stage,
            termination_reason=data.get("termination_reason", ""),
            **{
                name: data[name]
                for name in (
                    "investor_origin",
                    "project_type",
                    "category",
                    "foreign_amount_usd_wan",
                    "land_area_mu",
                    "is_key",
                    "agreed_start_on",
                    "expected_output_wan",
                    "expected_tax_wan",
                    "expected_jobs",
                    "description",
                )
                if name in data
            },
            **dates,
        )
        target = reached_before_termination(stage, dates)
        for fact in missing_to_have_reached(project, target):
            parsed.fail(
                fact.field,
                _("Stage %(stage)s needs %(fact)s")
                % {"stage": Stage(stage).label, "fact": fact.message},
            )
        labels = {f.name: f.verbose_name for f in Project._meta.fields}
        for name, value in dates.items():
            if value is not None and value > self.today:
                parsed.fail(name, _("%(field)s: a date in the future") % {"field": labels[name]})
        if stage == Stage.TERMINATED:
            data["terminated_on"] = data.get("terminated_on") or _last_date(data) or self.today
            if not data.get("termination_reason"):
                parsed.fail("termination_reason", _("Reason for termination: required"))
        self._model_errors(
            parsed,
            project,
            ["unit", "industry", "team", "leader", "sponsor_unit", "lead", "code", "entered_on"],
        )
        data["stage"] = stage
        data["entered_on"] = data.get("entered_on") or _first_date(data) or self.today
        parsed.data.update(_jsonable(data))
        parsed.key = code or "｜".join((unit.name if unit else "", project.name))

    def _funds(self, parsed: ParsedRow, cells: dict[str, Any], unit: Unit | None) -> None:
        data = {k: v for k, v in cells.items() if v not in (None, "")}
        code, name = data.get("project_code", ""), data.get("project_name", "")
        if not code and not name:
            parsed.fail("project_name", _("Project: give its code or its name"))
        amounts = {
            kind: data[key]
            for kind, key in (
                (FundsKind.FUNDS, "funds_wan"),
                (FundsKind.INVESTMENT, "investment_wan"),
            )
            if data.get(key) is not None
        }
        if not amounts:
            parsed.fail(
                "funds_wan", _("Amount: give the funds in place or the completed investment")
            )
        period = data.get("period")
        if period is not None and period > self.this_month:
            parsed.fail("period", _("Month: a month in the future cannot be reported"))
        parsed.data.update(_jsonable(data))
        parsed.key = "｜".join(
            (
                code or f"{unit.name if unit else ''}｜{name}",
                period.strftime("%Y-%m") if period else "",
            )
        )

    def check_funds(self, parsed: ParsedRow, project: Project) -> None:
        """The funds rules of the service for each amount of a matched project."""
        period = date.fromisoformat(parsed.data["period"])  # as _funds stored it
        for kind, key in ((FundsKind.FUNDS, "funds_wan"), (FundsKind.INVESTMENT, "investment_wan")):
            if key not in parsed.data:
                continue
            errors = funds_errors(
                project, period, kind, Decimal(parsed.data[key]), "", None, self.this_month
            )
            for name, message in errors.items():
                parsed.fail(key if name == "amount_wan" else name, str(message))


def lead_pool_keys(rows: list[ParsedRow]) -> tuple[set[str], set[str]]:
    """The company keys and phones of the pool that the rows' leads name (one query)."""
    companies = {company_key(r.data.get("company_name", "")) for r in rows} - {""}
    phones = {phone_digits(r.data.get("contact_phone", "")) for r in rows}
    phones = {p for p in phones if len(p) >= 7}
    found = Lead.objects.filter(company_key__in=companies) | Lead.objects.filter(
        phone_key__in=phones
    )
    pool_companies, pool_phones = set(), set()
    for key, phone in found.values_list("company_key", "phone_key"):
        pool_companies.add(key)
        pool_phones.add(phone)
    return pool_companies, pool_phones


def _stage_from_dates(data: dict[str, Any]) -> str:
    """A ledger without a stage column: the furthest stage whose date it gives."""
    stage = Stage.NEGOTIATING
    for candidate in STAGE_ORDER:
        date_field = STAGE_DATE_FIELD.get(candidate)
        if date_field and data.get(date_field):
            stage = candidate
    return stage


def _first_date(data: dict[str, Any]) -> date | None:
    found = [data.get(name) for name in ("signed_on", "started_on") if data.get(name)]
    return min(found) if found else None


def _last_date(data: dict[str, Any]) -> date | None:
    found = [data[name] for name in STAGE_DATE_FIELD.values() if data.get(name)]
    return max(found) if found else None


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in data.items():
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, Unit):
            value = value.pk
        out[name] = value
    return out
