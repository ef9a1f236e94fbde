"""Page routes of this app."""
app_name = "onestop"
urlpatterns: list = []
