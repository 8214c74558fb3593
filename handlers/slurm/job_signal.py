"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

delete_jobs = not_implemented
delete_job = not_implemented
