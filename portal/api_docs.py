"""/api/docs/: Swagger UI under the portal's Content-Security-Policy.

The split view serves its start-up script as a file (no inline script); Swagger UI's page and
bundle still use an inline <style> block and data: images, allowed here and nowhere else.
"""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularSwaggerSplitView


@method_decorator(
    csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]}), name="dispatch"
)
class ApiDocsView(SpectacularSwaggerSplitView):
    pass
