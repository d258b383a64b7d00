"""Demo units, accounts, teams and trips for `seed_demo`: a believable county with one
account per role, its promotion teams, and (`trips`) two years of trips with their quotas."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.roles import INSTALLER, Role
from demo.trips import seed_trips
from teams import services
from teams.choices import TeamKind, UnitKind
from teams.models import Team, Unit, User

__all__ = ["account_lines", "seed", "seed_teams", "seed_trips"]

DEMO_PASSWORD = "Zhaoshang@2026"

BUREAU = ("ZSJ", "县投资促进局")
TOWNSHIPS = [
    ("CGZ", "城关镇"),
    ("QLZ", "青龙镇"),
    ("BMZ", "白马镇"),
    ("SQZ", "石桥镇"),
    ("HKZ", "河口镇"),
    ("XHJD", "新华街道"),
    ("DCJD", "东城街道"),
    ("XCJD", "西城街道"),
    ("LLX", "柳林乡"),
    ("YZX", "杨庄乡"),
    ("GSZ", "高山镇"),
    ("LQZ", "龙泉镇"),
]
DEPARTMENTS = [
    ("FGJ", "县发展和改革局"),
    ("GXJ", "县工业和信息化局"),
    ("ZRZYJ", "县自然资源局"),
    ("ZJJ", "县住房和城乡建设局"),
    ("NYJ", "县农业农村局"),
    ("WLJ", "县文化和旅游局"),
    ("SWJ", "县商务局"),
    ("CZJ", "县财政局"),
    ("KJJ", "县科学技术局"),
    ("JTJ", "县交通运输局"),
    ("STHJJ", "县生态环境局"),
    ("SCJGJ", "县市场监督管理局"),
    ("SLJ", "县水利局"),
    ("WJJ", "县卫生健康局"),
    ("RSJ", "县人力资源和社会保障局"),
]
PARKS = [("JKQ", "县经济开发区"), ("GXQ", "县高新技术产业园"), ("NYY", "县现代农业产业园")]

# username, full name, role, unit code
ACCOUNTS = [
    ("bureau", "李明", Role.BUREAU, "ZSJ"),
    ("leader", "王建国", Role.LEADER, "ZSJ"),
    ("head_cgz", "张伟", Role.UNIT_HEAD, "CGZ"),
    ("officer_cgz", "刘洋", Role.OFFICER, "CGZ"),
    ("officer_qlz", "陈静", Role.OFFICER, "QLZ"),
    ("head_jkq", "赵磊", Role.UNIT_HEAD, "JKQ"),
    ("officer_jkq", "孙丽", Role.OFFICER, "JKQ"),
    ("officer_gxj", "周强", Role.OFFICER, "GXJ"),
    ("officer_fgj", "吴芳", Role.OFFICER, "FGJ"),
]

# More officers, so that the units and teams of the demo leads and projects have someone
# to enter them (not listed on the command's output: one account per role is enough).
OFFICERS = [
    ("officer_bmz", "黄海燕", "BMZ"),
    ("officer_sqz", "马俊", "SQZ"),
    ("officer_hkz", "郭晓峰", "HKZ"),
    ("officer_xhjd", "林雪", "XHJD"),
    ("officer_gxq", "何志远", "GXQ"),
    ("officer_nyy", "罗彬", "NYY"),
    ("officer_swj", "郑晓红", "SWJ"),
    ("officer_wlj", "谢婷", "WLJ"),
    ("officer_nyj", "韩冬", "NYJ"),
    ("officer_kjj", "唐宁", "KJJ"),
]

# name, kind, region, leader, lead unit, member units, member usernames, budget (万元)
TEAMS = [
    (
        "长三角驻点招商小分队",
        TeamKind.RESIDENT,
        "长三角（上海）",
        "陈志刚（副县长）",
        "ZSJ",
        ["CGZ", "JKQ", "SQZ", "GXJ"],
        ["officer_cgz", "officer_jkq", "officer_sqz"],
        80,
    ),
    (
        "珠三角驻点招商小分队",
        TeamKind.RESIDENT,
        "珠三角（深圳）",
        "黄立新（县政协副主席）",
        "ZSJ",
        ["GXQ", "QLZ", "XHJD"],
        ["officer_gxq", "officer_qlz", "officer_xhjd"],
        80,
    ),
    (
        "京津冀驻点招商小分队",
        TeamKind.RESIDENT,
        "京津冀（北京）",
        "杨文斌（县人大副主任）",
        "FGJ",
        ["FGJ", "KJJ", "CGZ"],
        ["officer_fgj", "officer_kjj"],
        60,
    ),
    (
        "成渝驻点招商小分队",
        TeamKind.RESIDENT,
        "成渝（成都）",
        "何敏（副县长）",
        "SWJ",
        ["SWJ", "HKZ", "WLJ"],
        ["officer_swj", "officer_hkz", "officer_wlj"],
        50,
    ),
    (
        "粤港澳驻点招商小分队",
        TeamKind.RESIDENT,
        "粤港澳大湾区（香港）",
        "黄立新（县政协副主席）",
        "ZSJ",
        ["JKQ", "GXQ", "SWJ"],
        ["officer_jkq", "officer_gxq", "officer_swj"],
        70,
    ),
    (
        "海西驻点招商小分队",
        TeamKind.RESIDENT,
        "海峡西岸（厦门）",
        "何敏（副县长）",
        "NYJ",
        ["NYJ", "NYY", "BMZ"],
        ["officer_nyj", "officer_nyy", "officer_bmz"],
        50,
    ),
    (
        "生物医药产业招商组团",
        TeamKind.GROUP,
        "",
        "刘振华（常务副县长）",
        "KJJ",
        ["KJJ", "GXQ", "WLJ"],
        ["officer_kjj", "officer_gxq"],
        120,
    ),
    (
        "新能源新材料产业招商组团",
        TeamKind.GROUP,
        "",
        "陈志刚（副县长）",
        "FGJ",
        ["FGJ", "JKQ", "SQZ"],
        ["officer_fgj", "head_jkq", "officer_sqz"],
        150,
    ),
    (
        "装备制造产业招商组团",
        TeamKind.GROUP,
        "",
        "王建国（县长）",
        "GXJ",
        ["GXJ", "JKQ", "QLZ", "CGZ"],
        ["officer_gxj", "officer_jkq", "head_cgz"],
        150,
    ),
]


def unit_rows() -> list[tuple[str, str, str]]:
    rows = [(BUREAU[0], BUREAU[1], UnitKind.BUREAU)]
    rows += [(code, name, UnitKind.TOWNSHIP) for code, name in TOWNSHIPS]
    rows += [(code, name, UnitKind.PARK) for code, name in PARKS]
    rows += [(code, name, UnitKind.DEPARTMENT) for code, name in DEPARTMENTS]
    return rows


@transaction.atomic
def seed() -> dict[str, int]:
    """Creates what is missing; what exists is left as it is (running twice changes nothing)."""
    existing = set(Unit.objects.values_list("code", flat=True))
    created_units = 0
    for order, (code, name, kind) in enumerate(unit_rows(), start=1):
        if code not in existing:
            services.unit_save(
                user=INSTALLER,
                data={"code": code, "name": name, "kind": kind, "sort_order": order},
            )
            created_units += 1
    units = {u.code: u for u in Unit.objects.all()}
    existing_users = set(User.objects.values_list("username", flat=True))
    created_users = 0
    for username, full_name, role, unit_code in ACCOUNTS:
        if username not in existing_users:
            services.user_create(
                user=INSTALLER,
                data={
                    "password": DEMO_PASSWORD,
                    "username": username,
                    "full_name": full_name,
                    "role": role,
                    "unit": units[unit_code],
                },
            )
            created_users += 1
    return {"units": created_units, "accounts": created_users}


@transaction.atomic
def seed_teams() -> dict[str, int]:
    """The resident teams and industry groups, and officers for their member units.
    A team or account already there (by name) is left as it is."""
    units = {u.code: u for u in Unit.objects.all()}
    existing_users = set(User.objects.values_list("username", flat=True))
    created_users = 0
    for username, full_name, unit_code in OFFICERS:
        if username not in existing_users and unit_code in units:
            services.user_create(
                user=INSTALLER,
                data={
                    "password": DEMO_PASSWORD,
                    "username": username,
                    "full_name": full_name,
                    "role": Role.OFFICER,
                    "unit": units[unit_code],
                },
            )
            created_users += 1
    users = {u.username: u for u in User.objects.all()}
    existing_teams = set(Team.objects.values_list("name", flat=True))
    # Both kinds have worked since the start of the year before last: the demo's two years.
    active_from = date(timezone.localdate().year - 2, 1, 1)
    created_teams = 0
    for name, kind, region, leader, lead_unit, member_units, members, budget in TEAMS:
        if name in existing_teams or lead_unit not in units:
            continue
        services.team_save(
            user=INSTALLER,
            data={
                "name": name,
                "kind": kind,
                "region": region,
                "leader_name": leader,
                "lead_unit": units[lead_unit],
                "budget_wan": Decimal(budget),
                "active_from": active_from,
                "member_units": [units[code] for code in member_units if code in units],
                "members": [users[name] for name in members if name in users],
            },
        )
        created_teams += 1
    return {"teams": created_teams, "officers": created_users}


def account_lines() -> list[str]:
    return [
        f"  {username:<14} {Role(role).label!s:<8} {full_name}（{unit}）  password: {DEMO_PASSWORD}"
        for username, full_name, role, unit in ACCOUNTS
    ]
