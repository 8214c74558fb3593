"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

get_nodes = not_implemented
post_nodes = not_implemented
get_node = not_implemented
post_node = not_implemented
delete_node = not_implemented
post_new_node = not_implemented
