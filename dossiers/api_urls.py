"""/api/v1/ routes of this app."""
urlpatterns: list = []
