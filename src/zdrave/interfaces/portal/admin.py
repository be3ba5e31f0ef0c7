from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zdrave.interfaces.portal.navigation import PLATFORM_NAME

admin.site.site_header = PLATFORM_NAME
admin.site.site_title = PLATFORM_NAME
admin.site.index_title = _("Back office")
