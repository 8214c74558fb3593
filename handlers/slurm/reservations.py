"""Not built yet: these operations answer 501 in the envelope until their
issue lands."""

from handlers.unimplemented import not_implemented

get_reservations = not_implemented
post_reservations = not_implemented
get_reservation = not_implemented
delete_reservation = not_implemented
post_reservation = not_implemented
