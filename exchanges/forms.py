from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import label_empty_choices
from core.uploads import validate_document_upload
from exchanges.models import Application
from partners.models import Department

MOTIVATION_MAX_LENGTH = 5000
REPORT_MAX_LENGTH = 10000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when nothing was chosen)."""

    # Size, extension and content (settings.MAX_UPLOAD_SIZE; PDF, DOCX, ODT, JPEG, PNG).
    default_validators = [validate_document_upload]

    default_error_messages = {
        "too_many_files": _("At most %(limit)d files may be added here."),
    }

    def __init__(self, *args, max_files: int | None = None, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Optional. PDF, DOCX, ODT, JPEG or PNG; several files may be chosen."),
        )
        super().__init__(*args, **kwargs)
        self.max_files = max_files

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        # Counted before any file is read: too many are refused without checking their content.
        if self.max_files is not None and len([u for u in uploads if u]) > self.max_files:
            raise ValidationError(
                self.error_messages["too_many_files"],
                code="too_many_files",
                params={"limit": self.max_files},
            )
        cleaned = [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]
        return [upload for upload in cleaned if upload]


class ApplicationForm(forms.Form):
    """What the applicant writes; who they are (their category) comes from their profile."""

    department = forms.ModelChoiceField(
        label=_("My department"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("Optional: the department you work or study in."),
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MOTIVATION_MAX_LENGTH,
        help_text=_("Why you apply and what you expect to learn (at most 5,000 characters)."),
    )
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, attached: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self)
        limit = settings.MAX_ATTACHMENTS_PER_APPLICATION
        attachments = self.fields["attachments"]
        attachments.max_files = max(limit - attached, 0)
        # Formatted here, where the number already attached is known.
        attachments.error_messages["too_many_files"] = _(
            "An application may have at most %(limit)d attachments (%(attached)d attached now)."
        ) % {"limit": limit, "attached": attached}

    @classmethod
    def initial_from(cls, application: Application) -> dict:
        return {
            "department": application.department_id,
            "motivation": application.motivation,
        }


class MobilityReportForm(forms.Form):
    activities = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=REPORT_MAX_LENGTH,
    )
    outcomes = forms.CharField(
        label=_("Outcomes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=REPORT_MAX_LENGTH,
        help_text=_("Publications, skills, new contacts, plans for further cooperation."),
    )
    attachments = MultipleFileField(label=_("Attachments"))


class DecisionForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"

    action = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("The applicant sees this comment."),
    )
