"""The group pages for every role: the employer sees and changes only its own group; staff by
role; everyone else is refused without learning what exists."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contracts.factories import make_user
from zdrave.base.identity.models import Role
from zdrave.contracts.models import ContractMember
from zdrave.policy_admin.groups.forms import new_form_key
from zdrave.policy_admin.groups.models import Annex, CensusUpload

from .conftest import egn
from .helpers import csv_bytes, group_rows, tomorrow

pytestmark = pytest.mark.django_db


def client_for(client, user):
    client.force_login(user)
    return client


def test_employer_sees_own_group_census(client, group, employer):
    response = client_for(client, employer).get(reverse("groups:group", args=[group.number]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Служител0 Тестов" in page
    assert "12 застраховани лица днес." in page


def test_employer_home_is_its_group(client, group, employer):
    response = client_for(client, employer).get(reverse("groups:home"))
    assert response.status_code == 200
    assert f"Групов договор {group.number}" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "groups:group",
        "groups:census_csv",
        "groups:census_xlsx",
        "groups:upload",
        "groups:add",
        "groups:remove",
    ],
)
def test_employer_cannot_open_another_group(client, group, other_group, employer, name):
    response = client_for(client, employer).get(reverse(name, args=[other_group.number]))
    assert response.status_code == 404
    assert "Фирма G-TEST-2" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.UNDERWRITER, 200),
        (Role.ADMINISTRATOR, 200),
        (Role.SERVICE_COORDINATOR, 403),
        (Role.MEMBER, 404),
        (Role.CLAIMS_ADJUSTER, 404),
        (Role.BILLING, 404),
        (Role.PARTNER, 404),
    ],
)
def test_census_upload_by_role(client, group, role, status):
    user = make_user(f"u-{role}", role)
    response = client_for(client, user).get(reverse("groups:upload", args=[group.number]))
    assert response.status_code == status


def test_anonymous_goes_to_log_in(client, group):
    response = client.get(reverse("groups:group", args=[group.number]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_csv_download_is_the_census_in_utf8_with_bulgarian_headers(client, group, employer):
    response = client_for(client, employer).get(reverse("groups:census_csv", args=[group.number]))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["ЕГН", "Име", "Презиме", "Фамилия", "Роля", "Пакети", "Опция", "Клауза"]
    assert len(rows) == 13
    assert rows[1][4:] == ["Служител", "2, 3", "Основна", "Б1"]


def test_downloaded_xlsx_uploads_back_unchanged_except_the_new_row(client, group, employer):
    c = client_for(client, employer)
    data = c.get(reverse("groups:census_xlsx", args=[group.number])).content
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(rows) == 13
    rows.append(
        [
            egn(__import__("datetime").date(1990, 1, 2), 333),
            "Нов",
            "",
            "Човек",
            "Служител",
            "2, 3",
            "Основна",
            "Б1",
        ]
    )
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.name = "census.xlsx"
    out.seek(0)
    response = c.post(
        reverse("groups:upload", args=[group.number]),
        {"file": out, "effective": tomorrow().isoformat()},
    )
    upload = CensusUpload.objects.get()
    assert response["Location"] == reverse("groups:preview", args=[group.number, upload.pk])
    assert upload.errors == []
    assert [r["last_name"] for r in upload.diff["added"]] == ["Човек"]


def test_upload_preview_apply_through_the_pages(client, group, employer):
    c = client_for(client, employer)
    rows = group_rows(group)[1:]
    file = io.BytesIO(csv_bytes(rows, encoding="cp1251"))
    file.name = "служители.csv"
    c.post(
        reverse("groups:upload", args=[group.number]),
        {"file": file, "effective": tomorrow().isoformat()},
    )
    upload = CensusUpload.objects.get()
    page = c.get(reverse("groups:preview", args=[group.number, upload.pk])).content.decode()
    assert "1 изключено лице" in page
    apply = reverse("groups:apply", args=[group.number, upload.pk])
    first = c.post(apply)
    second = c.post(apply)
    annex = Annex.objects.get()
    assert first["Location"] == second["Location"] == reverse("groups:annex", args=[annex.number])
    page = c.get(first["Location"]).content.decode()
    assert annex.number in page
    pdf = c.get(reverse("groups:annex_pdf", args=[annex.number]))
    assert pdf["Content-Type"] == "application/pdf"


def test_bad_file_shows_the_rule_and_keeps_nothing(client, group, employer):
    c = client_for(client, employer)
    file = io.BytesIO("ЕГН;Име\n123;Х\n".encode())
    file.name = "x.csv"
    response = c.post(
        reverse("groups:upload", args=[group.number]),
        {"file": file, "effective": tomorrow().isoformat()},
    )
    assert response.status_code == 200
    assert "липсват колоните" in response.content.decode()
    assert not CensusUpload.objects.exists()


def test_remove_person_page_makes_an_annex_once(client, group, employer):
    c = client_for(client, employer)
    member = ContractMember.objects.filter(contract=group).select_related("person").first()
    data = {
        "egn": member.person.id_number,
        "effective": tomorrow().isoformat(),
        "form_key": new_form_key(),
    }
    c.post(reverse("groups:remove", args=[group.number]), data)
    c.post(reverse("groups:remove", args=[group.number]), data)
    assert Annex.objects.count() == 1
    member.refresh_from_db()
    assert member.covered_until == tomorrow() - __import__("datetime").timedelta(days=1)


def test_add_person_page_names_the_field_and_rule(client, group, employer):
    c = client_for(client, employer)
    response = c.post(
        reverse("groups:add", args=[group.number]),
        {
            "egn": "8001010003",
            "first_name": "А",
            "last_name": "Б",
            "role": "employee",
            "packages": "5",
            "option": "basic",
            "clause": "Б1",
            "effective": tomorrow().isoformat(),
            "form_key": new_form_key(),
        },
    )
    page = response.content.decode()
    assert "не е валидно ЕГН" in page
    assert not Annex.objects.exists()
