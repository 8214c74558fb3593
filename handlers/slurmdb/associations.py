"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

post_associations = not_implemented
get_associations = not_implemented
delete_associations = not_implemented
get_association = not_implemented
delete_association = not_implemented
