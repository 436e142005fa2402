"""Bulk import from Excel/CSV: template download, upload, preview, confirm, history."""
