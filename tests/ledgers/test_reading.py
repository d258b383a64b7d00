"""Reading old ledgers as offices keep them: real messy files built in the test (title rows,
merged units, formulas with saved values, GBK CSV, Excel serials), and the limits that
keep an untrusted file from costing more than a ledger does."""

import shutil
import subprocess
import zipfile
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl.styles import Font

from ledgers.columns import is_known_header
from ledgers.reading import MAX_FILE_BYTES, Row, normalise_header, read_table
from ledgers.values import (
    amount_scale,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
    parse_month,
    parse_text,
)

KNOWN = {
    "责任单位",
    "项目名称",
    "协议引资额(万元)",
    "到位资金(万元)",
    "签约日期",
    "是否重点",
    "备注",
}
HEADERS = [
    "责任单位",
    "项目名称",
    "协议引资额(万元)",
    "到位资金(万元)",
    "签约日期",
    "是否重点",
    "备注",
]


def known(header: str) -> bool:
    return header in KNOWN


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English source text (gettext runs at raise time)."""
    with translation.override("en"):
        yield


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- .xlsx -----------------------------------------------------------------------------------


def messy_workbook() -> openpyxl.Workbook:
    """A ledger as a township keeps it: a merged title, a 填报单位 line, the headers on row 3
    (a line break and full-width brackets in one, an ideographic space in another), a unit
    merged down over three projects, formulas, mixed date styles, a blank row, a merged unit
    reaching over a blank row, a styled empty column on the right, and a second sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "项目台账"
    sheet["A1"] = "青山县2024年招商项目台账"
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "填报单位：青山县投资促进局"
    sheet["E2"] = "日期：2024年3月5日"
    for column, text in enumerate(
        [
            "责任单位",
            "项目名称",
            "协议引资额\n（万元）",
            "到位资金（万元）",
            "签约　日期",
            " 是否重点 ",
            "备注",
        ],
        start=1,
    ):
        sheet.cell(row=3, column=column, value=text)
    sheet.append(["甲镇", "年产5000台电机项目", 100, "=C4*2", date(2024, 3, 5), "是", None])
    sheet.append([None, "新材料项目", "１，２３４．５", "=C5*2", "2024年3月5日", "√", "  外资  "])
    sheet.append([None, "物流园项目", "500万元", None, 45356, "否", None])
    sheet.merge_cells("A4:A6")
    # Row 7 is blank; 乙镇 is merged over row 8 and the blank row 9.
    sheet["A8"] = "乙镇"
    sheet["B8"] = "文旅项目"
    sheet["C8"] = 1.5
    sheet["E8"] = "2024.3.5"
    sheet["G8"] = "备注"
    sheet.merge_cells("A8:A9")
    sheet["J8"].font = Font(bold=True)  # a styled cell, no value: a trailing empty column
    other = workbook.create_sheet("说明")
    other.append(["项目名称", "备注"])
    other.append(["不该读到", "第二个工作表"])
    return workbook


def rewrite_zip(data: bytes, part: str, edit) -> bytes:
    """The workbook with one part's XML edited, every other part copied as it was."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                content = edit(content.decode()).encode()
            target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def messy_xlsx() -> bytes:
    """The messy workbook as Excel would save it: the first formula with the value Excel
    computed (200; openpyxl cannot write one), the second saved without a value, and a
    wrong <dimension> as some programs write."""
    buffer = BytesIO()
    messy_workbook().save(buffer)

    def edit(xml: str) -> str:
        assert "<f>C4*2</f><v />" in xml
        xml = xml.replace("<f>C4*2</f><v />", "<f>C4*2</f><v>200</v>")
        assert '<dimension ref="A1:J9" />' in xml
        return xml.replace('<dimension ref="A1:J9" />', '<dimension ref="A1:B2" />')

    return rewrite_zip(buffer.getvalue(), "xl/worksheets/sheet1.xml", edit)


EXPECTED_XLSX_ROWS = [
    Row(4, ["甲镇", "年产5000台电机项目", 100, 200, date(2024, 3, 5), "是", None]),
    Row(5, ["甲镇", "新材料项目", "１，２３４．５", None, "2024年3月5日", "√", "  外资  "]),
    Row(6, ["甲镇", "物流园项目", "500万元", None, 45356, "否", None]),
    Row(8, ["乙镇", "文旅项目", 1.5, None, "2024.3.5", None, "备注"]),
]


def test_xlsx_finds_the_header_under_the_title_rows_and_fills_merged_units():
    upload = SimpleUploadedFile("青山县招商项目台账.XLSX", messy_xlsx())
    table = read_table(upload, upload.name, known)
    assert table.header_row == 3
    assert table.headers == HEADERS
    assert iter(table.rows) is table.rows  # streamed, not a list
    assert list(table.rows) == EXPECTED_XLSX_ROWS


def test_xlsx_formula_is_read_as_its_saved_value_never_evaluated():
    table = read_table(BytesIO(messy_xlsx()), "台账.xlsx", known)
    rows = {row.number: row.values for row in table.rows}
    assert rows[4][3] == 200  # =C4*2 with its saved value
    assert rows[5][3] is None  # =C5*2 saved without one: neither "=C5*2" nor 2469


def test_xlsx_with_the_real_column_headers():
    table = read_table(BytesIO(messy_xlsx()), "台账.xlsx", is_known_header)
    assert (table.header_row, table.headers) == (3, HEADERS)
    assert [row.number for row in table.rows] == [4, 5, 6, 8]


def test_cells_parse_to_the_values_the_ledger_means():
    table = read_table(BytesIO(messy_xlsx()), "台账.xlsx", known)
    rows = list(table.rows)
    scale = amount_scale(table.headers[2])
    assert [parse_amount(row.values[2], scale) for row in rows] == [
        Decimal("100.00"),
        Decimal("1234.50"),
        Decimal("500.00"),
        Decimal("1.50"),
    ]
    # A date cell, "2024年3月5日", an Excel serial, "2024.3.5": one day.
    assert {parse_date(row.values[4]) for row in rows} == {date(2024, 3, 5)}
    assert [parse_bool(row.values[5]) for row in rows] == [True, True, False, False]
    assert [parse_text(row.values[6]) for row in rows] == ["", "外资", "", "备注"]


def test_an_xlsx_named_xls_is_read_as_what_it_is():
    table = read_table(BytesIO(messy_xlsx()), "改了扩展名.xls", known)
    assert table.header_row == 3
    assert len(list(table.rows)) == 4


# --- .xls ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def messy_xls(tmp_path_factory) -> bytes:
    """The messy workbook saved as .xls by LibreOffice (which also computes the formulas,
    as Excel does when it saves)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: no .xls can be made")
    folder = tmp_path_factory.mktemp("xls")
    source = folder / "台账.xlsx"
    messy_workbook().save(source)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (folder / "台账.xls").read_bytes()


def test_xls_merged_cells_dates_and_formula_results(messy_xls):
    table = read_table(BytesIO(messy_xls), "台账.xls", known)
    assert table.header_row == 3
    assert table.headers == HEADERS
    assert list(table.rows) == [
        Row(4, ["甲镇", "年产5000台电机项目", 100, 200, date(2024, 3, 5), "是", None]),
        Row(5, ["甲镇", "新材料项目", "１，２３４．５", None, "2024年3月5日", "√", "  外资  "]),
        Row(6, ["甲镇", "物流园项目", "500万元", None, 45356, "否", None]),
        Row(8, ["乙镇", "文旅项目", 1.5, None, "2024.3.5", None, "备注"]),
    ]


def test_a_broken_xls_is_refused():
    with pytest.raises(ValidationError) as error:
        read_table(BytesIO(b"<html><table><tr><td>x</td></tr></table></html>"), "台账.xls", known)
    assert error.value.code == "not_xls"


# --- .csv ------------------------------------------------------------------------------------


def test_gbk_csv_with_a_title_row_a_line_break_in_a_cell_and_a_blank_row():
    text = "\r\n".join(
        [
            "青山县2024年招商项目台账,,,",
            "项目名称,协议引资额（万元）,签约日期,备注",
            '年产电机项目,"1,234.5",2024/3/5,"第一行\n第二行"',
            ",,,",
            "新材料项目,１２００,20240305,",
            "",
        ]
    )
    data = text.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(BytesIO(data), "台账.csv", known)
    assert table.header_row == 2
    assert table.headers == ["项目名称", "协议引资额(万元)", "签约日期", "备注"]
    rows = list(table.rows)
    assert rows == [
        Row(3, ["年产电机项目", "1,234.5", "2024/3/5", "第一行\n第二行"]),
        Row(5, ["新材料项目", "１２００", "20240305", None]),
    ]
    assert [parse_amount(row.values[1]) for row in rows] == [Decimal("1234.50"), Decimal("1200.00")]
    assert [parse_date(row.values[2]) for row in rows] == [date(2024, 3, 5)] * 2


def test_utf8_bom_csv_and_a_header_unit_of_yi_yuan():
    data = "\ufeff项目名称,协议引资额(亿元),到位资金\r\n物流园项目,1.2,3000元\r\n".encode()
    table = read_table(BytesIO(data), "台账.csv", is_known_header)
    assert (table.header_row, table.headers) == (1, ["项目名称", "协议引资额(亿元)", "到位资金"])
    [row] = table.rows
    assert row == Row(2, ["物流园项目", "1.2", "3000元"])
    assert parse_amount(row.values[1], amount_scale(table.headers[1])) == Decimal("12000.00")
    assert parse_amount(row.values[2], amount_scale(table.headers[2])) == Decimal("0.30")


def test_utf8_csv_without_bom_and_short_rows_are_padded():
    data = "项目名称,备注,签约日期\n电机项目\n".encode()
    table = read_table(BytesIO(data), "a.csv", known)
    assert list(table.rows) == [Row(2, ["电机项目", None, None])]


def test_the_callers_file_stays_open_and_rewindable():
    upload = SimpleUploadedFile("a.csv", "项目名称,备注\n电机项目,x\n".encode())
    table = read_table(upload, upload.name, known)
    assert len(list(table.rows)) == 1
    assert not upload.closed
    upload.seek(0)
    assert upload.read(3) == "项".encode()


# --- Limits and refusals ------------------------------------------------------------------


def test_more_than_100_000_rows_is_refused_as_the_rows_are_read():
    data = ("项目名称,备注\n" + "电机项目,x\n" * 100_001).encode()
    table = read_table(BytesIO(data), "大.csv", known)
    read = 0
    with pytest.raises(ValidationError) as error:
        for _row in table.rows:
            read += 1
    assert read == 100_000
    assert error.value.code == "too_many_rows"
    assert "100 000" in messages(error.value)


def test_max_rows_is_the_last_row_allowed():
    data = ("项目名称,备注\n" + "电机项目,x\n" * 3).encode()
    assert len(list(read_table(BytesIO(data), "a.csv", known, max_rows=3).rows)) == 3
    with pytest.raises(ValidationError):
        list(read_table(BytesIO(data), "a.csv", known, max_rows=2).rows)


def zip_of_zeros(megabytes: int) -> BytesIO:
    """A zip with one member of zeros, written in chunks: small on disk, huge unpacked."""
    buffer = BytesIO()
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(megabytes):
            member.write(chunk)
    buffer.seek(0)
    return buffer


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zip_of_zeros(300)
    assert len(bomb.getvalue()) < 1024 * 1024
    with pytest.raises(ValidationError) as error:
        read_table(bomb, "台账.xlsx", known)
    assert error.value.code == "zip_bomb"


def test_a_member_compressed_over_a_hundredfold_is_refused():
    with pytest.raises(ValidationError) as error:
        read_table(zip_of_zeros(30), "台账.xlsx", known)
    assert error.value.code == "zip_bomb"


def test_an_xlsx_that_is_not_a_zip_is_refused():
    with pytest.raises(ValidationError) as error:
        read_table(BytesIO(b"just some text, not a workbook"), "台账.xlsx", known)
    assert error.value.code == "not_xlsx"
    assert "not a valid .xlsx" in messages(error.value)


def test_a_file_over_20_mib_is_refused():
    with pytest.raises(ValidationError) as error:
        read_table(BytesIO(bytes(MAX_FILE_BYTES + 1)), "台账.csv", known)
    assert error.value.code == "file_size"


def test_other_file_types_are_refused_naming_the_allowed_ones():
    with pytest.raises(ValidationError) as error:
        read_table(BytesIO("项目名称,备注\n".encode()), "台账.txt", known)
    assert error.value.code == "file_type"
    text = messages(error.value)
    assert ".xlsx" in text and ".xls" in text and ".csv" in text


def test_no_header_row_in_the_first_30_rows():
    data = ("标题\n" * 30 + "项目名称,备注\n电机项目,x\n").encode()
    with pytest.raises(ValidationError) as error:
        read_table(BytesIO(data), "a.csv", known)
    assert error.value.code == "no_header"
    assert "项目名称" in messages(error.value)
    # On row 30 it is found.
    data = ("标题\n" * 29 + "项目名称,备注\n电机项目,x\n").encode()
    assert read_table(BytesIO(data), "a.csv", known).header_row == 30


def test_one_known_header_is_not_a_header_row():
    data = "项目名称,其他\n电机项目,x\n".encode()
    with pytest.raises(ValidationError):
        read_table(BytesIO(data), "a.csv", known)


def test_csv_neither_utf8_nor_gbk_is_refused():
    with pytest.raises(ValidationError) as error:
        read_table(BytesIO(b"\x80\x80\xff\xfe"), "a.csv", known)
    assert error.value.code == "csv_encoding"


# --- Headers and values ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("协议引资额（万元）", "协议引资额(万元)"),
        ("协议引资额\n（万元）", "协议引资额(万元)"),
        ("  签约　日期 ", "签约日期"),
        ("【备注】", "【备注】"),
        (2024.0, "2024"),
        (None, ""),
    ],
)
def test_normalise_header(text, expected):
    assert normalise_header(text) == expected


@pytest.mark.parametrize(
    ("header", "scale"),
    [
        ("协议引资额(万元)", Decimal(1)),
        ("协议引资额万元", Decimal(1)),
        ("到位资金(元)", Decimal("0.0001")),
        ("总投资(亿元)", Decimal(10000)),
        ("总投资亿元", Decimal(10000)),
        ("合同外资(万美元)", Decimal(1)),
        ("协议引资额", Decimal(1)),
        ("用地(亩)", Decimal(1)),
    ],
)
def test_amount_scale(header, scale):
    assert amount_scale(header) == scale


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (None, Decimal(1), None),
        ("", Decimal(1), None),
        ("  ", Decimal(1), None),
        (1234, Decimal(1), Decimal("1234.00")),
        (0.1, Decimal(1), Decimal("0.10")),
        (Decimal("2.345"), Decimal(1), Decimal("2.35")),
        ("1,234.5", Decimal(1), Decimal("1234.50")),
        ("１，２３４．５", Decimal(1), Decimal("1234.50")),
        (" 88 ", Decimal(1), Decimal("88.00")),
        ("500万元", Decimal("0.0001"), Decimal("500.00")),
        ("1.2亿", Decimal(1), Decimal("12000.00")),
        ("3000元", Decimal(1), Decimal("0.30")),
        ("12345", Decimal("0.0001"), Decimal("1.23")),
        ("12355", Decimal("0.0001"), Decimal("1.24")),  # half up
        ("1.5", Decimal(10000), Decimal("15000.00")),
        ("-20", Decimal(1), Decimal("-20.00")),
    ],
)
def test_parse_amount(value, scale, expected):
    assert parse_amount(value, scale) == expected


@pytest.mark.parametrize("value", ["abc", "1,23", "12万亿", True, "1.2.3"])
def test_parse_amount_refuses(value):
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(value)


@pytest.mark.parametrize(
    "value",
    [
        date(2024, 3, 5),
        datetime(2024, 3, 5, 10, 30),
        45356,
        45356.75,
        "45356",
        "2024-03-05",
        "2024.3.5",
        "2024/3/5",
        "2024年3月5日",
        "2024-3-5",
        "20240305",
        20240305,
        "２０２４－０３－０５",
        "2024-03-05 10:30:00",
    ],
)
def test_parse_date(value):
    assert parse_date(value) == date(2024, 3, 5)


@pytest.mark.parametrize("value", ["2024年3月", "2024-03", "2024.3", 2024.3])
def test_parse_date_of_a_month_is_its_first_day(value):
    assert parse_date(value) == date(2024, 3, 1)


def test_parse_date_blank_serials_and_the_1904_system():
    assert parse_date(None) is None
    assert parse_date("") is None
    assert parse_date(1) == date(1900, 1, 1)
    assert parse_date(61) == date(1900, 3, 1)
    assert parse_date(2958465) == date(9999, 12, 31)
    assert parse_date(43894, datemode=1) == date(2024, 3, 5)


@pytest.mark.parametrize("value", ["明年", "2024-02-30", "2024-13-01", 0, 2958466, -3, "3/5"])
def test_parse_date_refuses(value):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(value)


@pytest.mark.parametrize(
    "value",
    [
        "2024-03",
        "2024年3月",
        "2024.3",
        "202403",
        202403,
        2024.3,
        "2024-03-17",
        45356,
        date(2024, 3, 31),
    ],
)
def test_parse_month(value):
    assert parse_month(value) == date(2024, 3, 1)


@pytest.mark.parametrize("value", [None, "", "三月", "2024-13"])
def test_parse_month_refuses(value):
    with pytest.raises(ValueError, match="not a month"):
        parse_month(value)


def test_parse_int():
    assert parse_int(None) is None
    assert parse_int("") is None
    assert parse_int(300) == 300
    assert parse_int(300.0) == 300
    assert parse_int("1,200") == 1200
    assert parse_int("３００人") == 300
    assert parse_int("300.0") == 300
    for value in ["3.5", 3.5, "很多", True]:
        with pytest.raises(ValueError):
            parse_int(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("√", True),
        ("重点", True),
        ("yes", True),
        ("No", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
        ("TRUE", True),
        ("false", False),
        (True, True),
        (None, False),
        ("", False),
    ],
)
def test_parse_bool(value, expected):
    assert parse_bool(value) is expected


def test_parse_bool_refuses():
    with pytest.raises(ValueError):
        parse_bool("也许")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  电机项目 ", "电机项目"),
        (123.0, "123"),
        (13805710001.0, "13805710001"),
        (1.5, "1.5"),
        (42, "42"),
        (Decimal("7.00"), "7"),
        (date(2024, 3, 5), "2024-03-05"),
    ],
)
def test_parse_text(value, expected):
    assert parse_text(value) == expected
