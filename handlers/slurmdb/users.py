"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

delete_user = not_implemented
get_user = not_implemented
post_users_association = not_implemented
post_users = not_implemented
get_users = not_implemented
