"""The project's URLs plus a stand-in for the later second-opinion request page, so the
profile's button can be tested as it will appear once that journey exists."""

from django.http import HttpResponse
from django.urls import include, path

from zdrave import urls as project_urls
from zdrave.opinions import urls as opinions_urls


def request_stub(request, pk: int) -> HttpResponse:
    return HttpResponse(f"request form for {pk}")


urlpatterns = [
    path(
        "extra-care/",
        include(
            (
                [
                    *opinions_urls.urlpatterns,
                    path("opinions/request/<int:pk>/", request_stub, name="request"),
                ],
                "opinions",
            )
        ),
    ),
    *[p for p in project_urls.urlpatterns if str(p.pattern) != "extra-care/"],
]
