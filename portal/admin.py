"""The admin site's Vietnamese titles (each app registers its own models)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from procedures.admin_search import BoundedSearchMixin

admin.site.site_header = _("Quản trị Cổng Dịch vụ công")
admin.site.site_title = _("Quản trị Cổng Dịch vụ công")
admin.site.index_title = _("Dữ liệu nghiệp vụ")


# Django's own searchable admins (groups, API tokens) get the bounded search too.
for _model, _admin in list(admin.site._registry.items()):
    if _admin.search_fields and not isinstance(_admin, BoundedSearchMixin):
        admin.site.unregister(_model)
        admin.site.register(
            _model, type(type(_admin).__name__, (BoundedSearchMixin, type(_admin)), {})
        )
