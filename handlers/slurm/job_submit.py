"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

post_job_submit = not_implemented
post_job_allocate = not_implemented
