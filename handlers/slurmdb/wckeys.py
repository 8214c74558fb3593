"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

delete_wckey = not_implemented
get_wckey = not_implemented
get_wckeys = not_implemented
post_wckeys = not_implemented
