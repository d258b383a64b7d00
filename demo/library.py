"""Demo project library and the construction half's facts, for `seed_demo`.

The county's reserve projects (项目库), some promoted and one matched to an investor; the
key projects' 包保 leader accounts and departments (the demo leader 王建国 opens 我包保的
项目 and sees his); and the plans of the projects not yet started (拟开工: the year they
are to start and what is to be invested in it), so the bulletin's second half has all of
its rows. Everything goes through projects.services as the unit's officer or the bureau.
A fixed random seed gives the same library; if any reserve project exists, nothing is
added.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.roles import Role
from demo.projects.writing import acting_as, demo_bureau
from projects import services
from projects.choices import ReserveStatus, Stage
from projects.models import Industry, Project, ReserveProject
from teams.choices import UnitKind
from teams.models import Unit, User

SEED = 2028

# name, segment, total investment (万元), unit, location, what it is, what it needs,
# status, months ago it was worked out
RESERVES = [
    (
        "高端医疗器械产业园项目",
        "BIO03",
        80000,
        "GXQ",
        "高新区医药产业园北区",
        "规划建设医疗器械研发、生产、检测一体化园区，标准厂房12万平方米",
        "用地约300亩，寻求医疗器械龙头企业或园区运营商合作",
        ReserveStatus.PROMOTING,
        9,
    ),
    (
        "中药材精深加工及交易中心项目",
        "BIO02",
        30000,
        "BMZ",
        "白马镇中药材种植基地",
        "依托万亩中药材基地，建设饮片加工、仓储和线上交易中心",
        "用地约120亩，需引进中药饮片生产企业",
        ReserveStatus.RESERVE,
        4,
    ),
    (
        "储能电池PACK生产基地项目",
        "NEM02",
        120000,
        "JKQ",
        "经开区新能源产业园",
        "年产5GWh储能电池模组及PACK系统，配套储能集成测试中心",
        "用地约400亩，寻求储能系统集成企业，需配套110千伏变电站",
        ReserveStatus.PROMOTING,
        7,
    ),
    (
        "锂电池回收综合利用项目",
        "NEM01",
        45000,
        "SQZ",
        "石桥镇循环经济产业园",
        "废旧锂电池拆解、梯次利用及有价金属回收",
        "用地约150亩，需具备危废经营资质的合作方",
        ReserveStatus.RESERVE,
        2,
    ),
    (
        "新型环保建材产业园项目",
        "NEM03",
        25000,
        "QLZ",
        "青林镇工业集中区",
        "装配式建筑构件、新型墙体材料生产基地",
        "用地约100亩，已完成土地收储",
        ReserveStatus.MATCHED,
        11,
    ),
    (
        "电子信息产业孵化园项目",
        "ELE01",
        50000,
        "GXQ",
        "高新区电子信息产业园",
        "建设电子元器件企业孵化、中试和量产厂房，配套公共检测平台",
        "标准厂房8万平方米已建成4万平方米，寻求园区运营商",
        ReserveStatus.PROMOTING,
        6,
    ),
    (
        "智能终端配套产业园项目",
        "ELE02",
        60000,
        "XHJD",
        "西湖街道城东产业片区",
        "智能终端结构件、模组及整机配套生产",
        "用地约200亩，寻求智能终端品牌企业配套商",
        ReserveStatus.RESERVE,
        1,
    ),
    (
        "汽车零部件产业园二期项目",
        "EQP01",
        100000,
        "JKQ",
        "经开区汽车零部件产业园",
        "承接一期配套需求，建设底盘、内饰及电控零部件生产线",
        "用地约350亩，需引进整车配套一级供应商",
        ReserveStatus.PROMOTING,
        10,
    ),
    (
        "农机装备制造基地项目",
        "EQP04",
        20000,
        "HKZ",
        "河口镇工业集中区",
        "中小型农机具及丘陵山地农机装备生产",
        "用地约80亩，标准厂房2万平方米",
        ReserveStatus.RESERVE,
        5,
    ),
    (
        "富硒农产品精深加工园项目",
        "AGR03",
        15000,
        "NYJ",
        "南岳乡农产品加工园",
        "富硒大米、茶叶、果蔬精深加工及冷链仓储",
        "需引进农业产业化龙头企业，配套建设冷库1万吨",
        ReserveStatus.PROMOTING,
        8,
    ),
    (
        "生猪屠宰及肉制品加工项目",
        "AGR02",
        35000,
        "NYY",
        "农业园区畜牧产业片",
        "年屠宰生猪50万头，配套冷鲜肉和熟食制品加工",
        "用地约120亩，需环评批复前置",
        ReserveStatus.RESERVE,
        3,
    ),
    (
        "古镇文旅综合开发项目",
        "TOU02",
        150000,
        "WLJ",
        "城关镇历史文化街区",
        "古镇保护性开发，建设民宿集群、非遗街区和夜游项目",
        "寻求文旅运营企业整体开发，分期投入",
        ReserveStatus.PROMOTING,
        12,
    ),
    (
        "温泉康养度假区项目",
        "TOU01",
        200000,
        "CGZ",
        "城关镇温泉片区",
        "温泉度假酒店、康养社区及医疗康复中心",
        "用地约600亩，需引进康养产业投资运营商",
        ReserveStatus.RESERVE,
        6,
    ),
    (
        "县域冷链物流中心项目",
        "LOG01",
        40000,
        "SWJ",
        "县城东部物流园",
        "冷库5万吨、分拨中心及城乡配送网络",
        "用地约150亩，寻求冷链物流企业",
        ReserveStatus.PROMOTING,
        4,
    ),
    (
        "电商直播产业基地项目",
        "LOG02",
        8000,
        "KJJ",
        "县城电商产业园",
        "直播基地、选品中心和电商人才培训中心",
        "已有楼宇2万平方米，寻求电商运营机构",
        ReserveStatus.RESERVE,
        1,
    ),
]

# Of the projects not yet started, the share that plan to start this year or next.
PLANNED_SHARE = 0.7
# What a planned project means to invest in its first year: a share of its contract.
FIRST_YEAR_SHARE = (0.15, 0.4)


def _months_ago(today: date, months: int) -> date:
    """The same day `months` months before (the month's last day where it is shorter)."""
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in (today.day, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _officer_of(unit: Unit, bureau: User) -> User:
    """Who enters a unit's reserve project: its officer, else the bureau."""
    officer = (
        User.objects.filter(unit=unit, role=Role.OFFICER, is_active=True).order_by("pk").first()
    )
    return officer or bureau


def seed_reserve(bureau: User) -> int:
    """The county's reserve projects, each entered by its unit and moved to its status."""
    today = timezone.localdate()
    units = {u.code: u for u in Unit.objects.all()}
    industries = {i.code: i for i in Industry.objects.all()}
    created = 0
    for name, segment, amount, unit_code, location, summary, needs, status, ago in RESERVES:
        unit, industry = units.get(unit_code), industries.get(segment)
        if unit is None or industry is None:
            continue
        user = _officer_of(unit, bureau)
        with acting_as(user):
            reserve = services.reserve_create(
                user=user,
                data={
                    "name": name,
                    "industry": industry,
                    "total_investment_wan": Decimal(amount),
                    "location": location,
                    "summary": summary,
                    "needs": needs,
                    "unit": unit,
                    "entered_on": _months_ago(today, ago),
                },
            )
            for step in (ReserveStatus.PROMOTING, ReserveStatus.MATCHED):
                if status == ReserveStatus.RESERVE or (
                    step == ReserveStatus.MATCHED and status != step
                ):
                    break
                reserve = services.reserve_move(reserve=reserve, user=user, to=step)
        created += 1
    return created


def seed_sponsors(bureau: User, rng: random.Random) -> int:
    """The key projects' 包保 leader accounts (where the leader named has one) and their
    sponsoring departments, set by the bureau."""
    leaders = {u.get_full_name(): u for u in User.objects.filter(role=Role.LEADER)}
    departments = list(Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("code"))
    sponsored = 0
    key_projects = Project.objects.filter(is_key=True).exclude(stage=Stage.TERMINATED)
    with acting_as(bureau):
        for project in key_projects.select_related("unit").order_by("pk"):
            data: dict[str, object] = {}
            if project.leader_name in leaders:
                data["leader"] = leaders[project.leader_name]
            if departments and project.unit.kind != UnitKind.DEPARTMENT and rng.random() < 0.6:
                data["sponsor_unit"] = rng.choice(departments)
            if data:
                services.project_update(project=project, user=bureau, data=data)
                sponsored += 1
    return sponsored


def seed_plans(bureau: User, rng: random.Random) -> int:
    """The year the projects not yet started plan to start (拟开工), and what they plan to
    invest in it, entered by the bureau."""
    year = timezone.localdate().year
    planned = 0
    waiting = Project.objects.filter(stage__in=[Stage.NEGOTIATING, Stage.SIGNED])
    with acting_as(bureau):
        for project in waiting.order_by("pk"):
            if rng.random() >= PLANNED_SHARE:
                continue
            start_year = year if project.stage == Stage.SIGNED or rng.random() < 0.5 else year + 1
            share = Decimal(str(round(rng.uniform(*FIRST_YEAR_SHARE), 2)))
            amount = (project.contract_amount_wan or Decimal(0)) * share
            services.project_update(
                project=project,
                user=bureau,
                data={
                    "planned_start_year": start_year,
                    "planned_investment_wan": amount.quantize(Decimal(1)),
                },
            )
            planned += 1
    return planned


def seed() -> dict[str, int]:
    """The library and the plans, unless there is a reserve project already."""
    zero = {"reserve projects": 0, "sponsored": 0, "planned": 0}
    if ReserveProject.objects.exists():
        return zero
    bureau = demo_bureau()
    if bureau is None:
        return zero
    rng = random.Random(SEED)
    with transaction.atomic():
        return {
            "reserve projects": seed_reserve(bureau),
            "sponsored": seed_sponsors(bureau, rng),
            "planned": seed_plans(bureau, rng),
        }
