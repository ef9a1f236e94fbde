"""Staff and leaders' feedback pages (under /mot-cua/phan-anh/)."""

from django.urls import path

from feedback import views

app_name = "feedback_staff"

urlpatterns = [
    path("", views.staff_list, name="list"),
    path("thong-ke/", views.staff_figures, name="figures"),
    path("thong-ke/xuat/<str:fmt>/", views.staff_figures_export, name="figures-export"),
    path("<int:pk>/chuyen/", views.staff_route, name="route"),
    path("<int:pk>/", views.staff_detail, name="detail"),
    path("<int:pk>/cong-khai/", views.staff_publish, name="publish"),
    path("<int:pk>/tep/<int:attachment_id>/", views.staff_attachment, name="attachment"),
]
