"""Bulk import of platforms, enterprises, projects, yield runs and financing from .xlsx / .csv.

Modules, in the order data flows through them:
``columns`` (the format: sheets, headers in English and Chinese, choice labels),
``reading`` (files → sheets of rows), ``parsers`` (cells → values), ``kinds`` (per-kind row
rules), ``engine`` (check everything, keep the plan), ``writing`` (one transaction, bulk writes
with history), ``service`` (one import recorded as an ``ImportBatch``) and ``exporting`` (the
same format out again, so that export → import changes nothing).
"""
