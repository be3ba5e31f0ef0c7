"""The directory pages: search (000 стъпка 3), profiles (стъпка 4) with the second-opinion
button (стъпка 5), and the therapists (консултация с психолог, стъпка 3)."""

from __future__ import annotations

import re

from django.urls import reverse

SEARCH = "/extra-care/specialists/"
THERAPISTS = "/extra-care/therapists/"


def card_names(html: str) -> list[str]:
    return re.findall(
        r'class="directory-name">\s*<a [^>]*>(?:<span[^>]*>[^<]*</span> )?([^<]+)</a>', html
    )


def test_the_search_page_shows_the_ranked_cards_in_bulgarian(client, directory):
    response = client.get(SEARCH, {"q": "болки в гърба"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Намерете специалист" in html
    assert "11 резултата за „болки в гърба“" in html
    assert card_names(html)[:3] == ["Хавиер Гарсия", "Николай Христов", "Катрин Вебер"]
    assert "Ортопедия и травматология" in html
    assert "испански, английски" in html  # García's consultation languages
    assert "18 години" in html
    assert "Университетска болница „Ла Пас“" in html


def test_the_search_page_follows_the_chosen_language(client, directory):
    client.cookies["django_language"] = "en"

    html = client.get(SEARCH, {"q": "kardiolg"}).content.decode()

    assert "Find a specialist" in html
    assert card_names(html) == ["Thomas Keller", "Daniel Rosen", "Elena Marinova", "Noa Levi"]
    assert "German, English" in html


def test_live_search_returns_only_the_results(client, directory):
    response = client.get(SEARCH, {"q": "knee"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.startswith('<div id="directory-results"')
    assert "<html" not in html
    assert card_names(html)[0] == "Николай Христов"


def test_a_query_nobody_matches_says_so(client, directory):
    html = client.get(SEARCH, {"q": "qwzx"}).content.decode()

    assert card_names(html) == []
    assert "Няма специалист, който да отговаря на тези думи." in html


def test_the_specialist_search_leaves_out_therapists(client, directory):
    html = client.get(SEARCH, {"q": "тревожност"}).content.decode()

    assert "Йоана Стефанова" not in html
    assert card_names(html)[0] == "Антония Велева"


def test_the_therapists_page_lists_all_therapists(client, directory):
    html = client.get(THERAPISTS).content.decode()

    assert "Изберете терапевт" in html
    assert len(card_names(html)) == 8
    assert card_names(html)[0] == "Десислава Тодорова"  # 20 years, the most experienced


def test_a_profile_shows_the_specialist_and_the_second_opinion_button(client, directory):
    keller = directory["dm-002"]

    html = client.get(reverse("specialists:specialist", args=[keller.pk])).content.decode()

    assert '<h1 id="profile-name">Томас Келер</h1>' in html
    assert "предсърдно мъждене, аритмия, катетърна аблация, пейсмейкър" in html
    assert "27 години" in html
    assert "немски, английски" in html
    assert (
        f'<a class="button" href="/extra-care/opinions/request/{keller.pk}/">'
        "Получете второ медицинско мнение</a>"
    ) in html


def test_an_inactive_specialist_is_neither_found_nor_shown(client, directory):
    keller = directory["dm-002"]
    keller.active = False
    keller.save()

    assert client.get(f"/extra-care/specialists/{keller.pk}/").status_code == 404
    assert "Томас Келер" not in client.get(SEARCH, {"q": "кардиолог"}).content.decode()


def test_a_specialist_without_a_photo_gets_an_initials_placeholder(client, directory):
    keller = directory["dm-002"]

    response = client.get(f"/extra-care/specialists/{keller.pk}/photo/")

    assert response["Content-Type"] == "image/svg+xml"
    assert ">ТК</text>" in response.content.decode()
