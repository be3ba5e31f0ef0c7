"""Journey (issue 11, "Done when"): the demo employer downloads its group's census, uploads it
with one new employee whose ЕГН is mistyped, sees the row error and that nothing changed, fixes
the file, uploads it again, sees the preview (one person added) and applies it: an annex with
its PDF. Later Georgi leaves the company three days ago; the employer removes him by annex
(004 Чл.24 т.4: within 7 days), so he is covered until the day before his removal (004 Чл.27
т.2) — and the claims app offers him no cover for a later day."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from django.utils.translation import trans_real
from playwright.sync_api import expect
from pypdf import PdfReader

from base.messages import compile_app_messages
from e2e.helpers import log_in, screenshot
from zdrave.claims.fetch import memberships_in_force
from zdrave.contracts.identifiers import make_egn
from zdrave.contracts.models import ContractMember
from zdrave.policy_admin.groups.models import Annex, CensusUpload

GROUP = "ZH-DEMO-G001"
PHONE = {"width": 390, "height": 844}
NEWCOMER = make_egn(dt.date(1995, 2, 14), 150, female=True)
TYPO = NEWCOMER[:-1] + str((int(NEWCOMER[-1]) + 1) % 10)  # the check digit mistyped


@pytest.fixture(scope="module", autouse=True)
def _app_messages():
    compile_app_messages()
    trans_real._translations = {}
    trans_real._default = None


def census_with(page, egn: str) -> bytes:
    """The census as downloaded from the group's page, with one new employee added."""
    with page.expect_download() as download:
        page.get_by_role("link", name="Изтегляне на списъка (CSV)").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert text.startswith("ЕГН;Име;Презиме;Фамилия;Роля;Пакети;Опция;Клауза")
    text += f"{egn};Десислава;;Стоянова;Служител;2, 3;Основна;Б1\r\n"
    # What Excel saves in Bulgaria.
    return text.encode("cp1251")


def upload(page, data: bytes) -> None:
    page.get_by_role("link", name="Качване на списък").click()
    page.get_by_label("Файл със списък").set_input_files(
        {"name": "служители.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Преглед на промените").click()


def test_employer_uploads_fixes_applies_and_later_removes(demo, page, live_server):
    page.set_viewport_size(PHONE)
    log_in(page, "employer")
    page.get_by_role("link", name="Моята група").first.click()
    expect(page.get_by_role("heading", name=f"Групов договор {GROUP}")).to_be_visible()
    members_before = ContractMember.objects.filter(contract__number=GROUP).count()

    # 1. A census with a mistyped ЕГН: the row error, and nothing changes.
    upload(page, census_with(page, TYPO))
    expect(page.get_by_role("alert")).to_contain_text("1 ред има грешки")
    expect(page.get_by_role("cell", name=f"ЕГН: „{TYPO}“ не е валидно ЕГН")).to_be_visible()
    expect(page.get_by_role("button", name="Прилагане като анекс")).to_have_count(0)
    screenshot(page, "group-census-row-error")
    assert ContractMember.objects.filter(contract__number=GROUP).count() == members_before

    # 2. The corrected file: the preview, then one annex.
    page.get_by_role("link", name=f"← {GROUP}").click()
    upload(page, census_with(page, NEWCOMER))
    expect(page.get_by_text("1 включено лице")).to_be_visible()
    expect(page.get_by_role("cell", name="Десислава Стоянова")).to_be_visible()
    page.get_by_role("button", name="Прилагане като анекс").click()
    annex = Annex.objects.filter(contract__number=GROUP).latest("id")
    expect(page.get_by_role("heading", name=f"Анекс {annex.number}")).to_be_visible()
    expect(page.get_by_role("cell", name="Десислава Стоянова")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "group-census-annex")
    assert CensusUpload.objects.filter(annex=annex).count() == 1
    newcomer = ContractMember.objects.get(contract__number=GROUP, person__id_number=NEWCOMER)
    assert newcomer.covered_from == timezone.localdate() + dt.timedelta(days=1)

    response = page.request.get(f"{live_server.url}/groups/annexes/{annex.number}/annex.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert f"Анекс {annex.number} към договор {GROUP}" in text
    assert "Десислава Стоянова" in text

    # 3. Georgi left three days ago: removed from that day, within the 7 days of Чл.24 т.4.
    georgi = ContractMember.objects.select_related("person").get(
        contract__number=GROUP, person__user__username="georgi"
    )
    left = timezone.localdate() - dt.timedelta(days=3)
    page.get_by_role("link", name=f"← {GROUP}").click()
    page.get_by_role("link", name="Изключване на лице").click()
    page.get_by_label("ЕГН").fill(georgi.person.id_number)
    page.get_by_label("В сила от").fill(left.isoformat())
    page.get_by_role("button", name="Съставяне на анекс").click()
    expect(page.get_by_text("00:00 часа на " + left.strftime("%d.%m.%Y"))).to_be_visible()
    georgi.refresh_from_db()
    assert georgi.covered_until == left - dt.timedelta(days=1)

    # The claims app: covered on his last day, nothing for any later day.
    assert list(memberships_in_force([georgi.person_id], "health", georgi.covered_until)) == [
        georgi
    ]
    assert list(memberships_in_force([georgi.person_id], "health", left)) == []
    page.context.clear_cookies()
    log_in(page, "georgi")
    page.goto("/claims/new/")
    expect(page.get_by_text("Не открихме такава здравна застраховка")).to_be_visible()
