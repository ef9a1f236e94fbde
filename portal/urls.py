from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from portal.api_docs import ApiDocsView

handler404 = "portal.views.page_not_found"

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("onestop.api_urls")),
    path("", include("procedures.api_urls")),
    path("", include("dossiers.api_urls")),
    path("", include("assistant.api_urls")),
    path("", include("stats.api_urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    path("thu-tuc/", include("procedures.urls")),
    path("ho-so/", include("dossiers.urls")),
    path("mot-cua/", include("onestop.urls")),
    path("tro-ly-ao/", include("assistant.urls")),
    path("mot-cua/", include("dossiers.floor_urls")),
    path("mot-cua/", include("stats.urls")),
    path("mot-cua/phan-anh/", include("feedback.staff_urls")),
    path("phan-anh/", include("feedback.urls")),
    path("", include("accounts.urls")),
    path("", include("portal.page_urls")),
]
