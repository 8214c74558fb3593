# The front door: `make run` serves the API on a local Slurm cluster,
# `make test` runs the whole suite against it. Both need root (the cluster
# installs Debian packages and starts daemons).

VENV    := .venv
BIN     := $(VENV)/bin
LISTEN  ?= 127.0.0.1:6820
CLUSTER := $(CURDIR)/.cluster

export SLURM_CONF := $(CLUSTER)/etc/slurm.conf

.PHONY: help venv cluster cluster-down cluster-status run test java bench

help:
	@echo "make run           serve the API on $(LISTEN) from the local cluster"
	@echo "make test          run the whole test suite against the local cluster"
	@echo "make cluster       start the local Slurm cluster (.cluster/)"
	@echo "make cluster-down  stop it"
	@echo "make bench         slurmrestpy beside slurmrestd under wrk (BENCH_ARGS='--jobs 10000')"

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(BIN)/.installed

cluster:
	@bash cluster/cluster.sh up

cluster-down:
	@bash cluster/cluster.sh down

cluster-status:
	@bash cluster/cluster.sh status

# openapi-generator, which the client-generation test runs, is Java.
java:
	@command -v java >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; }

run: venv cluster
	@echo
	@echo "  Swagger UI:  http://$(LISTEN)/ui/"
	@echo "  A token:     SLURM_CONF=$(SLURM_CONF) scontrol token username=srp_alice"
	@echo "  Try:         curl -H \"X-SLURM-USER-NAME: srp_alice\" -H \"X-SLURM-USER-TOKEN: <token>\" http://$(LISTEN)/slurm/v0.0.44/jobs/"
	@echo
	$(BIN)/slurmrestpy -f $(SLURM_CONF) --allow-root $(LISTEN)

# Tests start slurmrestpy with -u (it drops to another user once started):
# that user must be able to read the test environment tox makes (0700 by default).
test: venv cluster java
	@mkdir -p .tox && chmod 755 .tox
	$(BIN)/tox run -e py

# Not part of `make test`: slurmrestpy and the cluster's slurmrestd side by
# side under wrk; results in bench/results/. BENCH_ARGS: see bench/run.py -h.
BENCH_ARGS ?=
bench: venv cluster
	@command -v wrk >/dev/null && command -v slurmrestd >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk slurmrestd >/dev/null; }
	@$(BIN)/python -c "import matplotlib" 2>/dev/null || $(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py --cluster-dir $(CLUSTER) $(BENCH_ARGS)
