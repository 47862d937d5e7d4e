from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import pgettext_lazy

from people.models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    max_num = 1
    fields = ["language"]


# Django's user admin as it is, with the person's profile under the account.
User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    inlines = [ProfileInline]

    def get_inlines(self, request, obj):
        # The add form creates the account and the receiver its profile; an inline there would
        # try to create a second one.
        return self.inlines if obj else []


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    """The office edits profiles here: it may view accounts but not change them."""

    list_display = ["user", "full_name", "language", "updated_at"]
    list_filter = ["language"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    fields = ["user", "language", "created_at", "updated_at"]
    readonly_fields = ["user", "created_at", "updated_at"]

    @admin.display(description=pgettext_lazy("person", "name"), ordering="user__last_name")
    def full_name(self, profile):
        return profile.user.get_full_name()

    # Profiles come and go with their accounts.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
