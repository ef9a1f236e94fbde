from django.urls import path

from ioc import views

app_name = "ioc"

urlpatterns = [
    path("mot-cua/dieu-hanh/", views.wall, name="wall"),
    path("mot-cua/dieu-hanh/du-lieu.json", views.wall_data, name="wall_data"),
    path("mot-cua/nguy-co-tre-han/", views.desk_risks, name="desk_risks"),
    path("mot-cua/ho-so-bi-tra-lai/", views.returns_page, name="returns"),
    path("mot-cua/ho-so-bi-tra-lai.csv", views.returns_export, name="returns_export"),
    path("du-lieu-mo/", views.open_data_page, name="open_data"),
]
