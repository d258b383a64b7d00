"""Word lists of the generated data, beside those of the demo (demo.projects.data and
teams.demo), which the generator reuses: names that read like a real province's."""

from __future__ import annotations

from collections.abc import Iterable

from demo import teams as teams_demo
from demo.projects import data as demo_data

# Characters of place names: two of them and a suffix make a township or a county.
PLACE_CHARS = (
    "东西南北中上下新老大小青白红金银龙凤马石桥河湖山岭林竹松柏梅兰桃李杨柳安平和宁康泰兴旺"
    "福寿永长丰盛华宝清明光阳春秋云水溪江海田园塘港湾坪坝岗庄集店铺营城关口"
)
COUNTY_SUFFIXES = ["县", "县", "县", "区", "市"]
TOWNSHIP_SUFFIXES = ["镇", "镇", "镇", "乡", "街道"]

# County departments (县直部门) of a generated county: the demo's and a few more.
EXTRA_DEPARTMENTS = [
    ("TJJ", "县统计局"),
    ("YJJ", "县应急管理局"),
    ("LYJ", "县林业局"),
    ("MZJ", "县民政局"),
    ("JTJ2", "县教育体育局"),
    ("SJJ", "县审计局"),
    ("GTJ", "县供销合作社"),
    ("ZWJ", "县政务服务管理局"),
]
DEPARTMENTS = [*teams_demo.DEPARTMENTS, *EXTRA_DEPARTMENTS]
PARKS = [*teams_demo.PARKS, ("WLY", "县现代物流园"), ("WCY", "县文化创意产业园")]

TRIP_PURPOSES = [
    "拜访意向企业，推介我县产业政策和园区配套",
    "参加产业招商推介会，对接目标企业",
    "回访在谈项目企业，推动签约",
    "走访商会和乡贤企业家，收集招商线索",
    "考察产业链龙头企业，洽谈配套项目落户",
]
TRIP_SUMMARIES = [
    "拜访企业3家，其中1家有明确投资意向，已约定来县考察",
    "参加推介会并与5家企业座谈，收集线索2条",
    "与在谈项目企业就协议条款达成一致，近期签约",
    "走访商会企业家，获取项目信息1条，正在核实",
    "企业暂无投资计划，保持联系",
]
TRIP_NEXT_STEPS = ["邀请企业来县考察", "跟进企业决策进度", "报送线索至信息资源库", ""]
VISIT_NOTES = ["介绍园区标准厂房", "了解企业扩产计划", "对接用地需求", "交流产业政策", ""]

CHECKED = False


def _all_texts() -> Iterable[str]:
    lists: list[Iterable[str]] = [
        PLACE_CHARS,
        COUNTY_SUFFIXES,
        TOWNSHIP_SUFFIXES,
        [name for _code, name in DEPARTMENTS + PARKS + list(teams_demo.TOWNSHIPS)],
        TRIP_PURPOSES,
        TRIP_SUMMARIES,
        TRIP_NEXT_STEPS,
        VISIT_NOTES,
        demo_data.SURNAMES,
        demo_data.GIVEN_FIRST,
        demo_data.GIVEN_SECOND,
        demo_data.CONTACT_TITLES,
        demo_data.PERIODS,
        demo_data.LEAD_DROP_REASONS,
        demo_data.LEAD_NEXT_STEPS,
        demo_data.TERMINATION_REASONS,
        demo_data.FUNDS_NOTES,
        demo_data.INVESTMENT_NOTES,
        demo_data.FUNDS_CORRECTIONS_DOWN,
        demo_data.FUNDS_CORRECTIONS_UP,
        [note for _method, note in demo_data.LEAD_FOLLOW_UPS],
        [note for _method, note in demo_data.PROJECT_FOLLOW_UPS],
        [note for _method, note in demo_data.CONSTRUCTION_FOLLOW_UPS],
        [reason for reason, _wrong in demo_data.FUNDS_RETURN_REASONS],
    ]
    for texts in lists:
        yield from texts
    for descriptions, resolutions, _unit in demo_data.BLOCKERS.values():
        yield from descriptions
        yield from resolutions
    for _code, _name, _leading, _weights, segments in demo_data.CHAINS:
        for _seg_code, seg_name, words, names, products in segments:
            yield seg_name
            yield products
            yield from words
            yield from names


def check_texts() -> None:
    """COPY text needs no escaping only if no text holds a tab, a newline or a backslash."""
    global CHECKED
    if CHECKED:
        return
    for text in _all_texts():
        if any(char in text for char in "\t\n\r\\"):
            raise ValueError(f"a word list holds a character COPY would need escaped: {text!r}")
    CHECKED = True
