"""000 а) стъпка 14 on a real case: "2 изображения и 5 страници … ще преведе; още 1-2 … по
изключение; само ако обемът на данните е голям, ще бъдете помолени да изберете какво … да бъде
изпратено на специалиста". Pages are read from a real 7-page PDF; images are real PNGs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from member_services.second_opinion.cases_helpers import pdf_upload, png_upload, question_saved
from zdrave.base.documents.models import FileKind
from zdrave.base.documents.volume import Verdict
from zdrave.member_services.second_opinion import actions, allowance
from zdrave.member_services.second_opinion.fetch import service_of

pytest_plugins = ["member_services.second_opinion.cases_support"]


@pytest.fixture
def seven_pages_three_images(opened, member):
    """The member's uploads: a 7-page discharge letter and three ECG images."""
    question_saved(opened, member)
    pdf = actions.add_case_file(opened, pdf_upload(7), actor=member, kind=FileKind.TEXT_DOCUMENT)
    images = [
        actions.add_case_file(
            opened, png_upload(f"ekg-{n}.png"), actor=member, kind=FileKind.MEDICAL_IMAGE
        )
        for n in (1, 2, 3)
    ]
    actions.save_images_delivery(opened, actor=member, delivery="upload")
    return opened, pdf, images


def test_000a_step14_allowance_comes_from_the_product_data(opened):
    translation = service_of(opened).terms.translation

    assert (translation.pages, translation.images) == (5, 2)
    assert (translation.extra_by_exception_min, translation.extra_by_exception_max) == (1, 2)
    assert translation.clause == "000 а) стъпка 14"


def test_000a_step14_seven_pages_and_three_images_split_into_allowance_and_the_rest(
    seven_pages_three_images,
):
    case, pdf, _images = seven_pages_three_images
    translation = service_of(case).terms.translation

    checked = allowance.check(case.documents(), translation)

    assert pdf.file.pages == 7
    assert (checked.volume.pages, checked.volume.images) == (7, 3)
    assert (checked.pages_within, checked.images_within) == (5, 2)
    assert (checked.pages_over, checked.images_over) == (2, 1)
    assert checked.over == 3
    assert checked.verdict == Verdict.MEMBER_CHOOSES  # 3 more is beyond the 1–2 by exception


def test_000a_step14_sending_everything_is_refused_and_the_member_must_choose(
    seven_pages_three_images, member
):
    case, pdf, images = seven_pages_three_images
    every_file = [pdf.pk, *(i.pk for i in images)]

    with pytest.raises(ValidationError) as refused:
        actions.save_review(case, actor=member, send_ids=every_file, report_language="bg")

    assert list(refused.value.message_dict) == ["send"]
    case.refresh_from_db()
    assert case.order_step == 2
    assert case.report_language == ""


def test_000a_step14_leaving_out_one_image_is_within_the_exception(
    seven_pages_three_images, member
):
    case, pdf, images = seven_pages_three_images
    chosen = [pdf.pk, images[0].pk, images[1].pk]

    case = actions.save_review(case, actor=member, send_ids=chosen, report_language="en")

    checked = allowance.check(
        case.documents().filter(send_to_specialist=True), service_of(case).terms.translation
    )
    assert (checked.volume.pages, checked.volume.images) == (7, 2)
    assert checked.verdict == Verdict.BY_EXCEPTION
    assert case.order_step == 3
    assert case.report_language == "en"
    assert [f.send_to_specialist for f in case.documents()] == [True, True, True, False]


def test_000a_step14_within_the_allowance_everything_goes(opened, member):
    question_saved(opened, member)
    actions.add_case_file(opened, pdf_upload(5), actor=member, kind=FileKind.TEXT_DOCUMENT)
    actions.add_case_file(opened, png_upload(), actor=member, kind=FileKind.MEDICAL_IMAGE)
    actions.save_images_delivery(opened, actor=member, delivery="upload")

    checked = allowance.check(opened.documents(), service_of(opened).terms.translation)

    assert checked.verdict == Verdict.INCLUDED
    assert (checked.pages_over, checked.images_over) == (0, 0)


def test_000a_step14_the_review_page_shows_the_split(client, seven_pages_three_images, member):
    case, *_ = seven_pages_three_images
    client.force_login(member)

    html = client.get(reverse("second_opinion:order", args=[case.pk, 3])).content.decode()

    assert '<dd id="volume-all">7 страници и 3 изображения</dd>' in html
    assert '<dd id="volume-within">5 страници и 2 изображения</dd>' in html
    assert '<dd id="volume-over">2 страници и 1 изображение</dd>' in html
    assert "Това е повече, отколкото може да се преведе." in html
