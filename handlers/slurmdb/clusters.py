"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

delete_cluster = not_implemented
get_cluster = not_implemented
get_clusters = not_implemented
post_clusters = not_implemented
