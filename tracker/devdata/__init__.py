"""Development data of the whole site: the demo data set and the scale data for benchmarks.

Nothing here is used by the running application. ``seed_demo`` loads the published cases of
Chengdu High-tech Zone and Kunshan plus synthetic filler (``demo``, ``demo_data``), and
``generate_bulk`` writes up to a million projects for the benchmarks (``bulk``); both draw their
plausible names, dates and amounts from ``synthetic``. It is an app of its own (label
``devdata``) so that its management commands are found, and it lives under ``tracker/`` because
it fills every app's models, not the projects domain's alone.
"""
