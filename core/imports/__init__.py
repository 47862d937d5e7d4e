"""Bringing the office's spreadsheets in, and the same columns out (django-import-export).

`formats` reads a file (CSV in any of the encodings and separators offices save, XLSX, ODS) into
rows, refusing what is not a spreadsheet, too large or a zip bomb; `widgets` turns cells into
values the way people write them (countries and choices in English, Russian or Belarusian,
dates in either order); `resources.ImportResource` is the base of every app's resource: rows
matched by their natural key, the whole file written in one transaction or not at all.
"""
