"""Accounting objects of slurmdbd, read and written through sacctmgr.

One module per kind of object, each with plain functions (``read_qos``,
``write_qos``, ``delete_qos``; likewise for TRES, wckeys and clusters) that
take the request's Call and give or take API v0.0.44 objects. The
operations of /slurmdb/ use them, and so can /slurmdb/config, which reads and
loads all of them at once.
"""
