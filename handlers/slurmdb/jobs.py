"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

get_job = not_implemented
post_job = not_implemented
get_jobs = not_implemented
post_jobs = not_implemented
