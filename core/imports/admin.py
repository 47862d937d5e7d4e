"""Import and export buttons on an admin's list (django-import-export), with the portal's reading.

The preview marks each row new, updated, unchanged or in error, with the column, the value and
the reason; nothing is written until the person confirms a file without errors, and then the
whole file in one transaction (core/imports/resources.py). Importing needs the permission to
add, exporting the permission to view (settings).
"""

import hashlib

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm

from core.imports.formats import FORMATS, XLSX, FileRefused
from core.imports.templates import template_book


class SpreadsheetImportExportMixin(ImportExportMixin):
    formats = FORMATS
    # Every column of the resource, always: an export imports back as it is (no field picking,
    # whose page also carries inline handlers the portal's Content Security Policy blocks).
    export_form_class = ExportForm
    import_template_name = "admin/import_export/import_with_template.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{opts.app_label}_{opts.model_name}_import_template",
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        """The columns with an example row, and a sheet explaining each, as XLSX."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        content = template_book(resource).export("xlsx")
        name = f"{self.model._meta.model_name}-template.xlsx"
        return HttpResponse(
            content,
            content_type=XLSX.CONTENT_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    def process_dataset(self, dataset, form, request, **kwargs):
        # The confirmed file's fingerprint for the import log: the same bytes the preview read.
        storage = self.get_tmp_storage_class()(
            name=form.cleaned_data["import_file_name"],
            read_mode="rb",
            **self.get_tmp_storage_class_kwargs(),
        )
        kwargs.setdefault("file_sha256", hashlib.sha256(storage.read()).hexdigest())
        return super().process_dataset(dataset, form, request, **kwargs)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileRefused):
            form.add_error("import_file", str(e))
        else:
            form.add_error("import_file", _("The file is not a spreadsheet (XLSX, ODS or CSV)."))
