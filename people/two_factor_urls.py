"""Two-factor sign-in for the office: the authenticator's setup, the code page, recovery codes."""

from django.urls import path

from people import views

app_name = "two_factor"
urlpatterns = [
    path("", views.two_factor_setup, name="setup"),
    path("verify/", views.two_factor_verify, name="verify"),
    path("recovery-codes/", views.two_factor_recovery_codes, name="recovery-codes"),
    path("recovery-codes/new/", views.two_factor_new_recovery_codes, name="new-recovery-codes"),
]
