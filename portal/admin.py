"""The admin site's Vietnamese titles (each app registers its own models)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Quản trị Cổng Dịch vụ công")
admin.site.site_title = _("Quản trị Cổng Dịch vụ công")
admin.site.index_title = _("Dữ liệu nghiệp vụ")
