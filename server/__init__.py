"""slurmrestpy: Slurm's REST API, served from the Slurm command line."""

__version__ = "0.1.0"
