"""GET /slurm/{version}/licenses/: the licenses slurmctld counts, with what
running jobs use and active reservations hold."""

from server.convert import passthrough
from server.slurm.commands.scontrol_licenses import ScontrolShowLicenses, ScontrolShowLicensesJson

UNSET = {"set": False, "infinite": False, "number": 0}


async def get_licenses(call):
    if call.slurm.prints("scontrol", call.version):
        printed = await call.run(ScontrolShowLicensesJson(call.version))
        return call.respond({
            "licenses": [passthrough.without_nulls(item) for item in printed.get("licenses") or []],
            "last_update": printed.get("last_update") or dict(UNSET),
        })
    # scontrol's text carries no time of the last change: unset, as for jobs.
    return call.respond({"licenses": await call.run(ScontrolShowLicenses()),
                         "last_update": dict(UNSET)})
