"""The employer's census: read (CSV in UTF-8 or Windows-1251, XLSX), checked row by row (ЕГН,
age by the engine's rules 004 Чл.24 т.2, packages 002 / 004 Чл.17, duplicates, columns),
previewed, then applied as one annex, all or nothing, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zdrave.contracts.models import Contract, ContractMember, Cover, InsuredPerson
from zdrave.policy_admin.groups import actions
from zdrave.policy_admin.groups.actions import annexes
from zdrave.policy_admin.groups.census import check_rows
from zdrave.policy_admin.groups.models import Annex, AnnexLine, CensusStatus, CensusUpload

from .conftest import egn
from .helpers import csv_bytes, group_rows, today, tomorrow, xlsx_bytes

pytestmark = pytest.mark.django_db


def new_row(serial, birth=dt.date(1991, 3, 3), **extra):
    row = [egn(birth, serial), "Нов", "", f"Служител{serial}", "служител", "2, 3", "basic", "Б1"]
    for i, key in enumerate(
        ["egn", "first", "middle", "last", "role", "packages", "option", "clause"]
    ):
        if key in extra:
            row[i] = extra[key]
    return row


def preview(group, employer, data, name="census.csv", effective=None):
    return actions.preview_census(
        group, actor=employer, file_name=name, data=data, effective=effective or tomorrow()
    )


def messages_of(upload):
    return {e["row"]: e["message"] for e in upload.errors}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_csv_in_either_bulgarian_encoding_is_read(group, employer, encoding):
    rows = group_rows(group) + [new_row(401)]
    upload = preview(group, employer, csv_bytes(rows, encoding=encoding))
    assert upload.errors == []
    assert [r["last_name"] for r in upload.diff["added"]] == ["Служител401"]
    assert upload.encoding == ("cp1251" if encoding == "cp1251" else "utf-8")


def test_xlsx_is_read_and_lost_leading_zeros_restored(group, employer):
    # A child born in 2005 has an ЕГН starting with 0; Excel keeps it as a number.
    child = egn(dt.date(2005, 4, 4), 7)
    assert child.startswith("0")
    rows = group_rows(group) + [[int(child), "Дете", "", "Тестово", "дете", "2,3", "basic", "Б1"]]
    upload = preview(group, employer, xlsx_bytes(rows), name="census.xlsx")
    assert upload.errors == []
    assert upload.diff["added"][0]["egn"] == child
    assert upload.diff["added"][0]["role"] == "child"


def test_bad_egn_is_a_row_error(group, employer):
    rows = group_rows(group) + [new_row(402, egn="8001010003")]
    upload = preview(group, employer, csv_bytes(rows))
    assert list(messages_of(upload)) == [14]
    assert "8001010003" in messages_of(upload)[14]
    assert upload.diff["added"] == []


@pytest.mark.parametrize(
    ("birth", "clause"),
    [
        (dt.date(1955, 1, 1), "004 Чл.24 т.2"),
        (dt.date.today() - dt.timedelta(days=40), "004 Чл.24 т.2"),
    ],
    ids=["004-chl24-t2-over-64-refused", "004-chl24-t2-under-3-months-refused"],
)
def test_age_outside_the_group_rule_is_a_row_error(group, employer, birth, clause):
    rows = group_rows(group) + [new_row(403, birth=birth)]
    upload = preview(group, employer, csv_bytes(rows))
    assert list(messages_of(upload)) == [14]
    assert "004 Чл." in messages_of(upload)[14]


@pytest.mark.parametrize(
    ("packages", "option", "words"),
    [
        ("5", "basic", "004 Чл.17"),
        ("5, 6", "basic", "004 Чл.17"),
        ("9", "basic", "002"),
        ("2", "basic", "2, 3"),
        ("2, 3", "minimal", "(002)"),
        ("2, 3", "golden", "golden"),
    ],
    ids=[
        "004-chl17-package-5-not-alone",
        "004-chl17-packages-5-6-not-alone",
        "002-no-package-9",
        "group-packages-required",
        "002-package-3-has-no-minimal",
        "unknown-option",
    ],
)
def test_package_and_option_rules_are_row_errors(group, employer, packages, option, words):
    rows = group_rows(group)[:-1] + [new_row(404, packages=packages, option=option)]
    upload = preview(group, employer, csv_bytes(rows))
    found = messages_of(upload)
    assert list(found) == [13]
    assert words.casefold() in found[13].casefold()


def test_duplicate_person_is_a_row_error(group, employer):
    rows = group_rows(group) + [group_rows(group)[0]]
    upload = preview(group, employer, csv_bytes(rows))
    assert messages_of(upload)[14] == "ЕГН: същото лице вече е на ред 2."


def test_missing_columns_refuse_the_file(group, employer):
    with pytest.raises(ValidationError) as refused:
        preview(group, employer, csv_bytes(group_rows(group), header=["ЕГН", "Име", "Фамилия"]))
    assert "Пакети" in str(refused.value) or "Packages" in str(refused.value)
    assert not CensusUpload.objects.exists()


def test_utf16_file_is_refused_as_wrong_encoding(group, employer):
    with pytest.raises(ValidationError) as refused:
        preview(group, employer, csv_bytes(group_rows(group), encoding="utf-16"))
    assert "Windows-1251" in str(refused.value)


def test_broken_xlsx_is_refused(group, employer):
    with pytest.raises(ValidationError) as refused:
        preview(group, employer, b"PK\x03\x04garbage", name="x.xlsx")
    assert ".xlsx" in str(refused.value)


def test_preview_changes_nothing_and_apply_makes_one_annex(group, employer):
    rows = group_rows(group)
    gone = rows.pop(0)
    rows[0][6] = "full"  # one person changes option
    rows.append(new_row(405))
    upload = preview(group, employer, csv_bytes(rows))
    assert {k: len(upload.diff[k]) for k in ("added", "removed", "changed")} == {
        "added": 1,
        "removed": 1,
        "changed": 1,
    }
    assert ContractMember.objects.filter(contract=group).count() == 12
    assert not Annex.objects.exists()

    annex = actions.apply_census(upload, actor=employer)
    again = actions.apply_census(upload, actor=employer)
    assert annex.pk == again.pk
    assert Annex.objects.count() == 1
    assert annex.lines.count() == 3
    upload.refresh_from_db()
    assert upload.status == CensusStatus.APPLIED
    removed = ContractMember.objects.get(contract=group, person__id_number=gone[0])
    assert removed.covered_until == today()
    changed = ContractMember.objects.get(contract=group, person__id_number=rows[0][0])
    assert set(Cover.objects.filter(member=changed).values_list("option", flat=True)) == {"full"}


def test_preview_with_errors_cannot_be_applied(group, employer):
    rows = group_rows(group) + [new_row(406), new_row(407, egn="1234567890")]
    upload = preview(group, employer, csv_bytes(rows))
    with pytest.raises(ValidationError):
        actions.apply_census(upload, actor=employer)
    assert not Annex.objects.exists()
    assert ContractMember.objects.filter(contract=group).count() == 12


def test_stale_preview_is_refused(group, employer):
    first = preview(group, employer, csv_bytes(group_rows(group) + [new_row(408)]))
    second = preview(group, employer, csv_bytes(group_rows(group) + [new_row(409)]))
    actions.apply_census(first, actor=employer)
    with pytest.raises(ValidationError) as refused:
        actions.apply_census(second, actor=employer)
    assert "качете файла отново" in str(refused.value)
    assert Annex.objects.count() == 1


def test_apply_is_all_or_nothing(group, employer, monkeypatch):
    upload = preview(group, employer, csv_bytes(group_rows(group)[1:] + [new_row(410)]))

    real = annexes.insert_rows

    def broken(model, fields, rows):
        if model is AnnexLine:  # after the people, members and covers are written
            raise RuntimeError("disk full")
        return real(model, fields, rows)

    monkeypatch.setattr(annexes, "insert_rows", broken)
    with pytest.raises(RuntimeError):
        actions.apply_census(upload, actor=employer)
    assert not Annex.objects.exists()
    assert ContractMember.objects.filter(contract=group).count() == 12
    assert not ContractMember.objects.filter(covered_until__isnull=False).exists()
    assert not InsuredPerson.objects.filter(last_name="Служител410").exists()
    upload.refresh_from_db()
    assert upload.status == CensusStatus.PREVIEWED


def test_004_chl24_t4_census_removing_people_8_days_back_is_refused(group, employer):
    with pytest.raises(ValidationError) as refused:
        preview(
            group,
            employer,
            csv_bytes(group_rows(group)[1:]),
            effective=today() - dt.timedelta(days=8),
        )
    assert "effective" in refused.value.message_dict


def test_unchanged_file_is_refused(group, employer):
    with pytest.raises(ValidationError):
        preview(group, employer, csv_bytes(group_rows(group)))


def test_headers_in_english_and_comma_delimiter(group, employer):
    header = [
        "EGN",
        "First name",
        "Middle name",
        "Last name",
        "Role",
        "Packages",
        "Option",
        "Clause",
    ]
    rows = [[c.replace(", ", " ") for c in r] for r in group_rows(group) + [new_row(411)]]
    for r in rows:
        r[4] = "employee"
    upload = preview(group, employer, csv_bytes(rows, header=header, delimiter=","))
    assert upload.errors == []
    assert len(upload.diff["added"]) == 1


def test_xlsx_with_an_entity_declaration_is_refused(group, employer):
    import zipfile
    from io import BytesIO

    source = zipfile.ZipFile(BytesIO(xlsx_bytes(group_rows(group))))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"<workbook", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook', 1)
            book.writestr(item, data)
    with pytest.raises(ValidationError) as refused:
        preview(group, employer, out.getvalue(), name="x.xlsx")
    assert ".xlsx" in str(refused.value)


def test_xlsx_keeps_the_row_numbers_a_person_sees(group, employer):
    rows = [*group_rows(group), [], new_row(412, egn="8001010003")]
    upload = preview(group, employer, xlsx_bytes(rows), name="c.xlsx")
    assert list(messages_of(upload)) == [15]


def test_one_clause_per_package_in_the_packages_order_is_read():
    """002 VII: package 1 is offered with clause A only, package 2 with A / Б1 / Б2; the download
    writes "A, Б1" for such a person and the reader gives each package its own clause."""
    stand_in = Contract(
        type="group",
        product_code="health",
        product_version=dt.date(2022, 11, 1),
        start=dt.date(2027, 1, 1),
        end=dt.date(2027, 12, 31),
    )
    person = egn(dt.date(1986, 1, 3), 1)
    row = {
        "row": 2,
        "egn": person,
        "first_name": "А",
        "last_name": "Б",
        "role": "Служител",
        "packages": "1, 2",
        "option": "Пълна",
        "clause": "A, Б1",
    }
    found = check_rows(stand_in, [row], effective=stand_in.start, existing={person}, base={})
    assert found.errors == []
    assert found.rows[0]["packages"] == {"1": "A", "2": "Б1"}
