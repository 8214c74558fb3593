"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

get_instances = not_implemented
get_instance = not_implemented
