"""000 а) стъпка 14: 2 images and 5 pages are translated, 1–2 more by exception, beyond that the
member chooses what is sent. The allowance comes from the Extra Care product data."""

from __future__ import annotations

import pytest

from base.documents.files import dicom_bytes, docx_bytes, image_bytes, pdf_bytes, upload
from zdrave.base.documents.actions import upload_medical_file
from zdrave.base.documents.volume import TranslationVolume, Verdict, translation_volume
from zdrave.engine.terms.loader import default_products_root, load_product_version
from zdrave.engine.terms.member_services import MemberServiceCode


@pytest.fixture(scope="module")
def allowance():
    version = load_product_version(default_products_root() / "extra-care" / "2022-11-01")
    [service] = [
        s for s in version.member_services.services if s.code == MemberServiceCode.SECOND_OPINION
    ]
    assert service.translation.clause == "000 а) стъпка 14"
    return service.translation


@pytest.mark.parametrize(
    ("pages", "images", "verdict"),
    [
        pytest.param(5, 2, Verdict.INCLUDED, id="000-a-step14-5-pages-2-images-included"),
        pytest.param(0, 0, Verdict.INCLUDED, id="000-a-step14-nothing"),
        pytest.param(6, 2, Verdict.BY_EXCEPTION, id="000-a-step14-one-more-page"),
        pytest.param(5, 4, Verdict.BY_EXCEPTION, id="000-a-step14-two-more-images"),
        pytest.param(6, 3, Verdict.BY_EXCEPTION, id="000-a-step14-one-page-one-image-more"),
        pytest.param(8, 2, Verdict.MEMBER_CHOOSES, id="000-a-step14-three-more-pages"),
        pytest.param(6, 4, Verdict.MEMBER_CHOOSES, id="000-a-step14-three-more-in-all"),
    ],
)
def test_000_a_step14_translation_allowance(allowance, pages, images, verdict):
    assert TranslationVolume(pages=pages, images=images).verdict(allowance) == verdict


@pytest.mark.django_db
def test_000_a_step14_volume_of_real_uploads(member, allowance):
    def add(name, data, kind=None):
        return upload_medical_file(upload(name, data), uploaded_by=member, kind=kind)

    files = [
        add("епикриза.pdf", pdf_bytes(3)),  # 3 pages
        add("изследвания.docx", docx_bytes(["Резултати"], page_breaks=1)),  # ≈2 pages
        add("направление.jpg", image_bytes(1240, 1754, "JPEG"), "text_document"),  # 1 page
        add("ct.dcm", dicom_bytes()),  # 1 image
        add("снимка.png", image_bytes(500, 500), "medical_image"),  # 1 image
    ]
    volume = translation_volume(files)
    assert (volume.pages, volume.images) == (6, 2)
    assert volume.verdict(allowance) == Verdict.BY_EXCEPTION
