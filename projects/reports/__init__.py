"""Manager reports (the ``reports`` app): one query layer behind the page, the JSON, the exports
and the command line.

``queries`` computes the figures in the database, ``scope`` describes what a report covers and
``forms`` reads it from a request, ``cache`` keeps computed sections until the data they come
from changes (``models.PlatformVersion`` per platform, ``models.DataVersion`` for reference
data; ``models.PlatformSummary`` holds each platform's figures), ``briefing`` turns a roll-up
into sentences, ``tables`` and ``charts`` present them (the SVG drawing itself is
``tracker.charts``), ``views`` and ``urls`` serve them.
"""
