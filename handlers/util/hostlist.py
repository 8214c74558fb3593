"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

post_hostnames = not_implemented
post_hostlist = not_implemented
