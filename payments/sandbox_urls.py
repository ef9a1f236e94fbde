from django.urls import path

from payments import sandbox_views

app_name = "sandbox_vnpay"

urlpatterns = [
    path("paymentv2/vpcpay.html", sandbox_views.pay_page, name="pay"),
    path("merchant_webapi/api/transaction", sandbox_views.query_api, name="querydr"),
]
