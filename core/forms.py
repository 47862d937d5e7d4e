"""What every form and filter of the portal shares."""

from django import forms
from django.utils.translation import gettext_lazy as _

# One label for the empty choice of every select, in forms ("nothing chosen") and filters
# ("no restriction") alike, instead of Django's "---------" in one and "Any" in the other.
EMPTY_CHOICE = _("Not chosen")


def label_empty_choices(form: forms.BaseForm) -> None:
    """Give each select's empty choice the portal's one label."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, forms.ModelMultipleChoiceField
        ):
            if field.empty_label is not None:
                field.empty_label = EMPTY_CHOICE
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.MultipleChoiceField
        ):
            choices = list(field.choices)
            if choices and choices[0][0] == "":
                field.choices = [("", EMPTY_CHOICE), *choices[1:]]
