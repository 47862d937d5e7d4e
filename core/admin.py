from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.imports.revert import RevertRefused, revert_import
from core.mail import enqueue_delivery
from core.models import ImportLog, OutgoingEmail

STATUS_COLOURS = {
    OutgoingEmail.Status.PENDING: "#8a6d00",
    OutgoingEmail.Status.SENT: "#1e7b34",
    OutgoingEmail.Status.FAILED: "#b02a37",
}


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """The outbox, read-only: what the portal sent, what waits, what failed and why."""

    list_display = [
        "subject",
        "recipients",
        "status_badge",
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
    ]
    list_filter = ["status"]
    search_fields = ["recipients", "subject"]
    fields = [
        "status",
        "recipients",
        "subject",
        "shown_body",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "next_attempt_at",
    ]
    readonly_fields = fields
    actions = ["resend"]
    list_per_page = 50

    @admin.display(description=_("body"))
    def shown_body(self, email):
        if email.confidential:
            return _("Not shown: it carries a one-time sign-in link.")
        return email.body

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, email):
        return format_html(
            '<strong style="color: {}">{}</strong>',
            STATUS_COLOURS[email.status],
            email.get_status_display(),
        )

    # A record of what was sent: nobody writes or deletes it by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("core.resend_outgoingemail")

    @admin.action(description=_("Resend the selected e-mails"), permissions=["resend"])
    def resend(self, request, queryset):
        # Sent ones are left alone: resending them would deliver them twice.
        with transaction.atomic():
            unsent = list(queryset.unsent().select_for_update())
            for email in unsent:
                email.reset_for_resending()
                enqueue_delivery(email)
        skipped = queryset.count() - len(unsent)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued again.", "%(count)d e-mails queued again.", len(unsent)
            )
            % {"count": len(unsent)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail had already been sent and was left as it is.",
                    "%(count)d e-mails had already been sent and were left as they are.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(ImportLog)
class ImportLogAdmin(admin.ModelAdmin):
    """Every import that wrote a file, read-only: who, when, the file and its SHA-256, counts."""

    list_display = [
        "file_name",
        "kind",
        "imported_by",
        "imported_at",
        "new",
        "updated",
        "unchanged",
        "reverted_at",
    ]
    list_filter = ["kind"]
    search_fields = ["file_name", "sha256"]
    list_select_related = ["imported_by"]
    readonly_fields = [field.name for field in ImportLog._meta.fields]
    actions = ["revert_import"]

    def has_revert_permission(self, request):
        return request.user.has_perm("core.revert_importlog")

    @admin.action(description=_("Revert this import"), permissions=["revert"])
    def revert_import(self, request, queryset):
        """Delete the rows the import created and restore those it updated, in one
        transaction, while nothing has changed them since; else say what changed."""
        if queryset.count() != 1:
            self.message_user(request, _("Choose one import to revert."), messages.WARNING)
            return
        log = queryset.get()
        try:
            done = revert_import(log, by=request.user)
        except RevertRefused as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(
            request,
            _("Import of %(file)s reverted: %(deleted)d rows deleted, %(restored)d restored.")
            % {"file": log.file_name, **done},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
