"""Who may import: platform staff (their own platforms' rows) and superusers, nobody else.

The rule itself lives in ``platforms.access.may_import``; the row-level rules (a staff member's
row for another platform is an error) are asked of the same module by ``kinds``.
"""

from platforms.access import may_import

__all__ = ["may_import"]
