from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("ho-so/<str:code>/", views.pay, name="pay"),
    path("vnpay/tra-ve/", views.vnpay_return, name="vnpay_return"),
    path("vnpay/ipn/", views.vnpay_ipn, name="vnpay_ipn"),
    path("bien-lai/<str:number>/", views.receipt_pdf, name="receipt"),
]
