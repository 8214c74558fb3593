"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

get_single_qos = not_implemented
delete_single_qos = not_implemented
get_qos = not_implemented
post_qos = not_implemented
