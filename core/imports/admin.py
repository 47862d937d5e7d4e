"""Import and export buttons on an admin's list (django-import-export), with the portal's reading.

The preview marks each row new, updated, unchanged or in error, with the column, the value and
the reason; nothing is written until the person confirms a file without errors, and then the
whole file in one transaction (core/imports/resources.py). Importing needs the permission to
add, exporting the permission to view (settings).
"""

from django.utils.translation import gettext as _
from import_export.admin import ImportExportMixin

from core.imports.formats import FORMATS, FileRefused


class SpreadsheetImportExportMixin(ImportExportMixin):
    formats = FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileRefused):
            form.add_error("import_file", str(e))
        else:
            form.add_error("import_file", _("The file is not a spreadsheet (XLSX, ODS or CSV)."))
