"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

delete_account = not_implemented
get_account = not_implemented
post_accounts_association = not_implemented
get_accounts = not_implemented
post_accounts = not_implemented
