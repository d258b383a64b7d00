"""The bulletin workbook opens in LibreOffice (Debian's libreoffice-calc-nogui, installed by
`make system-deps`): converted by `soffice --headless` without an error, it keeps every
figure, its number formats, and its layout (issue 7, "The Excel workbook")."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.services import report_build
from reports.workbook import bulletin_workbook
from tests.reports.county import add_key_projects_and_warnings, build_county

pytestmark = pytest.mark.django_db
D = Decimal
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# printed by Debian's soffice wrapper when no Java is installed (Calc needs none)
JAVA_WARNING = "Warning: failed to launch javaldx - java may not function correctly"


@pytest.fixture
def figures(unit_a, unit_b, bureau_unit, bureau_user):
    build_county(unit_a, unit_b)
    add_key_projects_and_warnings(unit_a, unit_b)
    return report_build(period=dt.date(2026, 6, 1), user=bureau_user).figures


def soffice_convert(source: Path, tmp_path: Path) -> Path:
    """Open `source` in LibreOffice and save it again as xlsx; fail on any error output."""
    assert SOFFICE, "LibreOffice is missing: run `make system-deps`"
    outdir = tmp_path / "converted"
    result = subprocess.run(
        [
            SOFFICE,
            # a profile of its own: never shares (or waits for) another soffice's lock
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    errors = [line for line in result.stderr.splitlines() if line.strip() != JAVA_WARNING]
    assert result.returncode == 0 and errors == [], result.stdout + result.stderr
    converted = outdir / source.name
    assert f"-> {converted}" in result.stdout, result.stdout
    assert converted.stat().st_size > 0
    return converted


def cells(sheet):
    return {
        cell.coordinate: cell
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None and cell.value != ""
    }


def test_libreoffice_opens_the_bulletin_workbook_with_every_figure(figures, tmp_path):
    source = tmp_path / "bulletin-2026-06.xlsx"
    source.write_bytes(bulletin_workbook(figures))
    ours = load_workbook(source)
    theirs = load_workbook(soffice_convert(source, tmp_path))

    assert theirs.sheetnames == ours.sheetnames
    assert len(theirs.worksheets) == 10  # the cover and nine sections
    for mine, converted in zip(ours.worksheets, theirs.worksheets, strict=True):
        expected, got = cells(mine), cells(converted)
        assert set(got) == set(expected), mine.title
        for coordinate, cell in expected.items():
            other = got[coordinate]
            where = f"{mine.title}!{coordinate}"
            if isinstance(cell.value, str):
                assert (other.value, other.data_type) == (cell.value, "s"), where
            else:  # numbers stay numbers, with their formats
                assert other.data_type == "n" and other.value == float(cell.value), where
                assert other.number_format == cell.number_format, where
        # the layout survives: merged title, A4 landscape, repeated titles (frozen panes are
        # view settings, which LibreOffice without a window never writes back: not checked)
        assert converted.page_setup.orientation == "landscape", mine.title
        assert int(converted.page_setup.paperSize) == 9, mine.title
        assert converted.sheet_properties.pageSetUpPr.fitToPage, mine.title
        assert int(converted.page_setup.fitToWidth) == 1, mine.title
        if mine is not ours.worksheets[0]:
            assert "A1" in [str(r).split(":")[0] for r in converted.merged_cells.ranges]
            assert converted.print_title_rows == "$1:$2", mine.title

    # the converted cells against the snapshot itself, figure by figure
    cover, totals, units, keys, teams, _events, _built, _by_unit, _sponsors, warnings = (
        theirs.worksheets
    )
    assert cover["A4"].value == figures["headline"]
    assert "青山县" in cover["A1"].value or "2026-06" in cover["A1"].value
    assert totals["B3"].value == float(D(figures["funds"]["month_wan"])) == 2900
    assert totals["C3"].value == float(D(figures["funds"]["cumulative_wan"])) == 4100
    assert (totals["B3"].number_format, totals["C3"].number_format) == ("#,##0.00",) * 2
    by_name = {row[1].value: row for row in units.iter_rows(min_row=3) if row[0].value}
    for group in figures["unit_groups"]:
        for unit in group["units"]:
            row = by_name[unit["name"]]
            assert row[2].value == float(D(unit["funds_wan"])), unit["name"]
            if unit["progress"] is not None:
                assert row[4].value == float(D(unit["progress"])), unit["name"]
                assert row[4].number_format == "0.0%"
            assert row[7].value == unit["rank"], unit["name"]
    assert by_name["甲镇"][2].value == 1600 and by_name["甲镇"][4].value == 0.4
    assert [
        (r[0].value, r[1].value, r[4].value, r[5].value, r[8].value)
        for r in keys.iter_rows(min_row=3)
    ] == [
        (
            p["code"],
            p["name"],
            float(D(p["contract_amount_wan"])),
            float(D(p["funds_to_date_wan"])),
            p["open_blockers"],
        )
        for p in figures["key_projects"]
    ]
    assert [
        (r[0].value, r[1].value, r[2].value, r[4].value) for r in teams.iter_rows(min_row=3)
    ] == [(t["name"], t["leads"], t["trips"], float(D(t["funds_wan"]))) for t in figures["teams"]]
    # a project name written like a formula is still plain text after LibreOffice saved it
    formula_like = [
        c
        for row in warnings.iter_rows(min_row=3)
        for c in row
        if c.value == '=HYPERLINK("http://x","点我")'
    ]
    assert formula_like and all(c.data_type == "s" for c in formula_like)
