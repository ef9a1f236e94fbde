"""Page routes of this app."""
app_name = "procedures"
urlpatterns: list = []
