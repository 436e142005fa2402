"""The two questions the import machinery itself asks of ``platforms.access``: may this user
import at all (platform staff and administrators), is the user unrestricted (an
administrator, whose rows no platform membership limits), and which batches may the user see.

Everything about single rows (a staff member's row for another platform is an error, a client
of other platforms may only be named, ...) is asked of the same module by the handlers of the
sheets, in the ``sheets`` modules of the apps that register them.
"""

from platforms.access import has_full_access, import_batches_visible_to, may_import

__all__ = ["has_full_access", "import_batches_visible_to", "may_import"]
