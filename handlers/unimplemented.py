"""Operations of the description whose issue has not landed yet."""

from server.slurm.command import SlurmError


async def not_implemented(call, **parameters):
    raise SlurmError(
        f"{call.operation.method.upper()} {call.operation.path} is not implemented by slurmrestpy yet",
        source="slurmrestpy",
        status=501,
    )
