"""What the accounting objects share: query values, bad input, and applying
several changes as honestly as sacctmgr allows.

slurmrestd applies a POST of several objects in one slurmdbd transaction:
all or nothing. sacctmgr commits each command on its own, so slurmrestpy
comes as close as it can: every object is checked and turned into its
command before any runs (bad input changes nothing), the commands then run
in order, and the first that fails stops the rest. Its error says which
object failed and why, which changes were applied before it and which were
not attempted, so nothing is ever half-applied without being said.
"""

from __future__ import annotations

from server.convert.sacct_query import QueryError, flag
from server.convert.sacctmgr_values import FieldError, name_argument
from server.slurm.command import SlurmError
from server.slurm.commands.sacctmgr_entity import SacctmgrChange
from server.slurm.errno import by_name



def _number(name: str) -> int | None:
    known = by_name(name)
    return known.number if known else None


def query_flag(value, name: str) -> bool:
    """A flag of the query (`?with_deleted`, `?with_deleted=true`): present
    and empty means set."""
    try:
        return flag(value, name)
    except QueryError as error:
        raise bad_request(name, error.message) from None


def query_list(value) -> list[str]:
    """A comma-separated query value as its words."""
    if value is None:
        return []
    return [word.strip() for word in str(value).split(",") if word.strip()]


def possible_names(names) -> tuple[str, ...]:
    """The names of a filter that an object can have: one sacctmgr could not
    take as one name (a comma, a space, ...) matches nothing, and must not
    reach sacctmgr as something else."""
    found = []
    for name in names:
        try:
            found.append(name_argument(name, "name"))
        except FieldError:
            pass
    return tuple(found)


def bad_request(field: str, message: str) -> SlurmError:
    return SlurmError(f"{field}: {message}", number=_number("ESLURM_REST_FAIL_PARSING"),
                      source="slurmrestpy", status=400)


def bad_field(error: FieldError) -> SlurmError:
    return bad_request(error.field, error.message)


def invalid_query(message: str, source: str = "slurmrestpy") -> SlurmError:
    """slurmrestd's ESLURM_REST_INVALID_QUERY (422), e.g. an update of a
    QOS id that does not exist."""
    return SlurmError(message, number=_number("ESLURM_REST_INVALID_QUERY"), source=source)


def nothing_found(call, what: str, source: str) -> None:
    """slurmrestd answers a query that matches nothing with 200, an empty
    list and this warning."""
    call.warn(f"{what} found nothing", source)


async def apply(call, changes: list[SacctmgrChange]) -> list[list[str]]:
    """Run the changes in order; on the first failure raise its error, telling
    what was applied before it and what was not attempted. Returns the lines
    each change printed."""
    printed = []
    for index, change in enumerate(changes):
        try:
            printed.append(await call.run(change))
        except SlurmError as error:
            done = [c.what for c in changes[:index]]
            left = [c.what for c in changes[index + 1:]]
            if done or left:
                error.description += (f" (applied before it: {'; '.join(done) or 'nothing'};"
                                      f" not attempted: {'; '.join(left) or 'nothing'})")
            raise
    return printed
