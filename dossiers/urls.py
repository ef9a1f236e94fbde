"""Page routes of this app, mounted at /ho-so/."""

from django.urls import path

from dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("nop/", views.submit_choose, name="submit_choose"),
    path("nop/<str:code>/", views.submit_start, name="submit_start"),
    path("nop/<str:code>/tep/", views.draft_attach, name="draft_attach"),
    path("ban-nhap/<int:pk>/", views.draft_edit, name="draft_edit"),
    path("ban-nhap/<int:pk>/xem-lai/", views.draft_review, name="draft_review"),
    path(
        "ban-nhap/<int:pk>/tep/<int:document_id>/xoa/",
        views.draft_remove_document,
        name="draft_remove_document",
    ),
    path("to-khai/<int:pk>/", views.declaration_pdf, name="declaration_pdf"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("cua-toi/", views.my_list, name="my_list"),
    path("cua-toi/<str:code>/", views.my_detail, name="my_detail"),
    path("cua-toi/<str:code>/thao-tac/<slug:action>/", views.my_action, name="my_action"),
    path("mot-cua/", views.desk_queue, name="desk_queue"),
    path("mot-cua/tiep-nhan/", views.walk_in_choose, name="walk_in_choose"),
    path("mot-cua/tiep-nhan/<str:code>/", views.walk_in, name="walk_in"),
    path("mot-cua/so-theo-doi/", views.tracking_book, name="tracking_book"),
    path("mot-cua/ho-so/<str:code>/", views.desk_detail, name="desk_detail"),
    path("mot-cua/ho-so/<str:code>/thao-tac/<slug:action>/", views.desk_action, name="desk_action"),
    path("<str:code>/tep/<int:document_id>/", views.dossier_document, name="dossier_document"),
    path("<str:code>/bien-nhan/", views.receipt, name="receipt"),
    path("<str:code>/mau-<int:number>/", views.form_pdf, name="form_pdf"),
]
