"""Bulk import and export of the registered sheets, from and to .xlsx / .csv (the imports app).

Modules, in the order data flows through them: ``registry`` (the sheets, lookups and Chinese
choice labels the domain apps register in their ``sheets`` modules), ``columns`` (a sheet's
columns and headers), ``reading`` (files → sheets of rows; a workbook measured first by
``workbook_guard`` and ``sheet_scan``, a CSV file decoded by ``text_encoding``), ``parsers``
(cells → values), ``handlers`` (the row rules every sheet shares), ``engine`` (check
everything, keep the plan), ``writing`` (one transaction, bulk writes with history),
``service`` (one import recorded as an ``ImportBatch``) and ``exporting`` (the same format out
again, so that export → import changes nothing). ``views``, ``forms`` and ``urls`` are the
pages; ``import_data`` and ``export_data`` the command line.
"""
