"""The partner and agreement pages that show mobility figures (exchanges/partner_views.py).

Their URL names stay in the "partners" namespace beside partners/urls.py: every path and name is
what it was when partners served them. mobility_portal/urls.py joins the two lists into one
namespace; two includes of the same namespace would leave half of its names unreachable.
"""

from django.urls import path

from exchanges import partner_views

app_name = "partners"

urlpatterns = [
    path("partners/", partner_views.partner_list, name="partner-list"),
    path("partners/<slug:slug>/", partner_views.partner_detail, name="partner-detail"),
    path("agreements/<int:pk>/", partner_views.agreement_detail, name="agreement-detail"),
]
