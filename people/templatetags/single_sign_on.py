"""The sign-in page's button for single sign-on, shown only where it is configured."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("includes/oidc_sign_in.html", takes_context=True)
def oidc_sign_in(context):
    return {
        "enabled": settings.OIDC_ENABLED,
        "provider_name": settings.OIDC_PROVIDER_NAME,
        "next": context.get("next", ""),
    }
