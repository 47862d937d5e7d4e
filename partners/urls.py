"""Pages with partners' data only. The partner and agreement pages, which show mobility figures,
are in exchanges/partner_urls.py under the same "partners" namespace (see mobility_portal/urls.py).
"""

from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
]
