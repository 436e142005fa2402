"""The briefing pack of a report: a Word document (``docx``) and one workbook (``xlsx``).

Both are built from the same ``Report`` as the page (``content`` gathers what they show: scope,
date, headline figures, briefing text, tables, targets), so a figure in the pack is the figure
on the page; confidential titles come masked from the report queries themselves. The builders
return bytes; the views (``pack_views``) only answer with them.
"""
