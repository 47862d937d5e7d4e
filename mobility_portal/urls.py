from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from exchanges import partner_urls as partner_pages
from exchanges import views as exchange_views
from mobility_portal.views import favicon, healthz
from partners import urls as partners_urls
from people import views as people_views

admin.site.site_header = _("Academic mobility: International Office")
admin.site.site_title = settings.PORTAL_NAME
admin.site.index_title = _("Partners, agreements and mobility")

urlpatterns = [
    path("", exchange_views.dashboard, name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", people_views.profile, name="profile"),
    # Single sign-on with OpenID Connect; answers 404 unless OIDC_ISSUER is set.
    path("accounts/oidc/", include("people.oidc_urls")),
    # Two-factor sign-in for the office (REQUIRE_2FA_FOR_OFFICE).
    path("accounts/two-factor/", include("people.two_factor_urls")),
    path(
        "accounts/password/",
        people_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Forgotten passwords and invitations: Django's views, the names its templates expect.
    path(
        "accounts/password_reset/",
        people_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        people_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        people_views.InvitationConfirmView.as_view(),
        name="invitation_confirm",
    ),
    # One "partners" namespace from two apps: partners' own pages, and the partner and agreement
    # pages that exchanges serves because they show mobility figures. A second include of the
    # same namespace would hide the first one's names from reverse().
    path(
        "",
        include((partners_urls.urlpatterns + partner_pages.urlpatterns, partners_urls.app_name)),
    ),
    path("", include("exchanges.urls")),
    path("reports/", include("reporting.urls")),
    # Django's set_language, wrapped to remember a signed-in person's choice on their profile.
    path("i18n/setlang/", people_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
]
