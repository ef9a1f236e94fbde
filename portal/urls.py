from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from portal.api_docs import ApiDocsView
from portal.api_root import ApiRootView

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

api_v1 = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("", include("accounts.api_urls")),
    path("", include("onestop.api_urls")),
    path("", include("procedures.api_urls")),
    path("", include("dossiers.api_urls")),
    path("", include("assistant.api_urls")),
    path("", include("stats.api_urls")),
    path("", include("ioc.api_urls")),
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
    path("thanh-toan/", include("payments.urls")),
    path("mot-cua/", include("sync.urls")),
    path("", include("ioc.urls")),
    path("", include("accounts.urls")),
    path("", include("portal.page_urls")),
]

# The local stand-ins of outside services (docs/payments.md, docs/sync.md): on with DEBUG.
if settings.SANDBOX_VNPAY_ENABLED:
    urlpatterns.append(path("sandbox-vnpay/", include("payments.sandbox_urls")))
if settings.SANDBOX_DVCQG_ENABLED:
    urlpatterns.append(path("sandbox-dvcqg/", include("sync.sandbox_urls")))
