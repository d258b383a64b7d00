"""Demo units and accounts for `seed_demo`: a believable county with one account per role."""

from __future__ import annotations

from django.db import transaction

from teams import services
from teams.choices import Role, UnitKind
from teams.models import Unit, User

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
            services.unit_save(unit=Unit(code=code, name=name, kind=kind, sort_order=order))
            created_units += 1
    units = {u.code: u for u in Unit.objects.all()}
    existing_users = set(User.objects.values_list("username", flat=True))
    created_users = 0
    for username, full_name, role, unit_code in ACCOUNTS:
        if username not in existing_users:
            services.user_create(
                password=DEMO_PASSWORD,
                username=username,
                full_name=full_name,
                role=role,
                unit=units[unit_code],
            )
            created_users += 1
    return {"units": created_units, "accounts": created_users}


def account_lines() -> list[str]:
    return [
        f"  {username:<14} {Role(role).label!s:<8} {full_name}（{unit}）  password: {DEMO_PASSWORD}"
        for username, full_name, role, unit in ACCOUNTS
    ]
