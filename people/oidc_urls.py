"""Single sign-on with OpenID Connect: the way out to the provider and the way back."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from people import oidc

app_name = "oidc"
urlpatterns = [
    path("", login_not_required(oidc.SignInView.as_view()), name="sign-in"),
    path("callback/", login_not_required(oidc.CallbackView.as_view()), name="callback"),
]
