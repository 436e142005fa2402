"""Manager reports: one query layer behind the report page, the JSON, the exports and the CLI.

``queries`` computes the figures in the database, ``scope`` describes what a report covers,
``briefing`` turns a roll-up into sentences, ``tables`` and ``charts`` present them.
"""
