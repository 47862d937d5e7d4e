"""An exporter and a writer as a download: the one place exports meet HTTP."""

import tempfile

from django.http import FileResponse

from core.exporters import CsvWriter, Exporter, XlsxWriter

# A download is written whole before it is sent (COPY cannot hand over rows halfway, a workbook
# is a zip): up to this size in memory, beyond it in a temporary file, so memory stays flat.
SPOOL_MAX_BYTES = 2 * 1024 * 1024
# The written file goes to the socket in blocks of this size rather than FileResponse's 4 KB.
SEND_BLOCK_BYTES = 64 * 1024


def download(exporter: Exporter, writer: CsvWriter | XlsxWriter, filename: str) -> FileResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # the response closes it
    writer.write(exporter, spool)
    spool.seek(0)
    response = FileResponse(
        spool, as_attachment=True, filename=filename, content_type=writer.content_type
    )
    response.block_size = SEND_BLOCK_BYTES
    return response
