"""Page routes of this app."""
app_name = "dossiers"
urlpatterns: list = []
