"""The portal's admin site: bad input in an admin URL is a 400 or a 404, never a 500.

Every ModelAdmin registered on it, ours and those of django-axes and django.contrib.auth alike,
is given the checks below when it is registered, so none can be forgotten; tests/test_admin_fuzz.py
walks them all. Installed through `PortalAdminConfig` in place of "django.contrib.admin".
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model


class StrictChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            # Django checks a date hierarchy's year, month and day, but not the end of the period
            # it works out from them: the year 9999 runs past the calendar.
            raise IncorrectLookupParameters(error) from error


class StrictChangeListMixin:
    """A filter value the list cannot use is a 400.

    Django's own answer is a redirect to "?e=1" and a page that blames the database
    installation, which tells the person nothing about what was wrong.
    """

    def get_changelist(self, request, **kwargs):
        return StrictChangeList

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(gettext("This list cannot be filtered by that value.")) from error


def _id_or_404(model, object_id):
    try:
        return model._meta.pk.to_python(unquote(object_id))
    except ValidationError as error:
        raise Http404 from error


class SafeHistoryMixin:
    """django-simple-history's pages with checked ids, and a revert that saves like an edit.

    Its views pass the ids from the URL to the database as they are ("abc" was a 500). A revert
    now runs in one transaction, as the change form does (the agreement's row lock needs one),
    and only for someone who may change the object: a view-only person could post the form
    and restore an old version.
    """

    def history_view(self, request, object_id, extra_context=None):
        _id_or_404(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        _id_or_404(self.model, object_id)
        _id_or_404(get_history_model_for_model(self.model), version_id)
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))  # None once deleted
            if not self.has_change_history_permission(request, obj):
                raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class PortalAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        mixins = (StrictChangeListMixin,)
        if issubclass(admin_class, SimpleHistoryAdmin):
            mixins = (SafeHistoryMixin, *mixins)
        strict = type(
            admin_class.__name__,
            (*mixins, admin_class),
            {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
        )
        super().register(model_or_iterable, strict, **options)


class PortalAdminConfig(AdminConfig):
    default_site = "mobility_portal.admin_site.PortalAdminSite"
