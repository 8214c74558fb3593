# The front door: `make run` serves the API on a local Slurm cluster,
# `make test` runs the whole suite against it. Both need root (the cluster
# installs Debian packages and starts daemons).

VENV    := .venv
BIN     := $(VENV)/bin
LISTEN  ?= 127.0.0.1:6820
# Which local Slurm `make cluster` and `make run` use: 22.05 (Debian's
# packages, in .cluster/) or 25.11 (built from source once, in .cluster-25.11/).
SLURM   ?= 22.05
CLUSTER := $(if $(filter 22.05,$(SLURM)),$(CURDIR)/.cluster,$(CURDIR)/.cluster-$(SLURM))
# The source of Slurm 25.11.7; a local copy of the same tarball works as well.
SLURM_TARBALL ?= https://download.schedmd.com/slurm/slurm-25.11.7.tar.bz2

export SLURM SLURM_TARBALL
export SLURM_CONF := $(CLUSTER)/etc/slurm.conf

.PHONY: help venv cluster clusters cluster-down cluster-status run test java chromium bench soak bench-private scale-out

help:
	@echo "make run           serve the API on $(LISTEN) from the local cluster"
	@echo "make test          run the whole test suite against the local cluster"
	@echo "make cluster       start the local Slurm cluster (.cluster/; SLURM=25.11: .cluster-25.11/)"
	@echo "make cluster-down  stop both local clusters"
	@echo "make bench         slurmrestpy beside slurmrestd under wrk (BENCH_ARGS='--jobs 10000')"
	@echo "make soak          50 clients poll, submit and cancel for 30 min; nothing lost (SOAK_ARGS='--minutes 5')"
	@echo "make bench         slurmrestpy beside slurmrestd under wrk (BENCH_ARGS='--jobs 500')"
	@echo "make bench-private the same with 10,000 jobs on a private cluster (SLURM=25.11 too)"

$(BIN)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(BIN)/.installed

cluster:
	@bash cluster/cluster.sh up

cluster-down:
	@SLURM=25.11 bash cluster/cluster.sh down
	@SLURM=22.05 bash cluster/cluster.sh down

cluster-status:
	@bash cluster/cluster.sh status

# Both Slurms the tests run on.
clusters:
	@SLURM=22.05 bash cluster/cluster.sh up
	@SLURM=25.11 bash cluster/cluster.sh up

# openapi-generator, which the client-generation test runs, is Java.
java:
	@command -v java >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; }

# The Swagger UI tests drive Debian's chromium through Playwright, which
# never downloads a browser of its own here.
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

# The scale-out tests (tests/live/test_scale_out.py) and bench row run
# Debian's Redis and HAProxy in front of several instances; neither is
# started as a service here, the tests start their own.
scale-out:
	@command -v redis-server >/dev/null && command -v haproxy >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server haproxy >/dev/null; }

run: venv cluster
	@test "$(SLURM)" = 22.05 || echo "  Slurm $(SLURM): source $(CLUSTER)/env first to use its commands by hand"
	@echo
	@echo "  Swagger UI:  http://$(LISTEN)/ui/"
	@echo "  A token:     SLURM_CONF=$(SLURM_CONF) scontrol token username=srp_alice"
	@echo "  Try:         curl -H \"X-SLURM-USER-NAME: srp_alice\" -H \"X-SLURM-USER-TOKEN: <token>\" http://$(LISTEN)/slurm/v0.0.44/jobs/"
	@echo
	PATH="$$(. $(CLUSTER)/env && echo $$PATH)" $(BIN)/slurmrestpy -f $(SLURM_CONF) --allow-root $(LISTEN)

# Tests start slurmrestpy with -u (it drops to another user once started):
# that user must be able to read the test environment tox makes (0700 by default).
test: venv clusters java chromium scale-out
	@mkdir -p .tox && chmod 755 .tox
	$(BIN)/tox run -e py

# Not part of `make test`: slurmrestpy and the cluster's slurmrestd side by
# side under wrk; results in bench/results/. BENCH_ARGS: see bench/run.py -h.
BENCH_ARGS ?=
bench: venv cluster scale-out
	@command -v wrk >/dev/null && command -v slurmrestd >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk slurmrestd >/dev/null; }
	@$(BIN)/python -c "import matplotlib" 2>/dev/null || $(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/run.py --cluster-dir $(CLUSTER) $(BENCH_ARGS)

# Not part of `make test`: 50 clients mix polls, submissions and cancels
# against one slurmrestpy, then Slurm is read back (lost, duplicated jobs);
# report in bench/results/soak-<release>.md. SOAK_ARGS: see bench/soak.py -h.
# Its jobs run on the nodes, so it gets a private cluster (ports offset by
# 330, 340 for 25.11), stopped after the run.
SOAK_ARGS ?=
SOAK_DIR := $(CURDIR)/.cluster-soak-$(SLURM)
SOAK_ENV = SLURM=$(SLURM) SLURMRESTPY_CLUSTER_DIR=$(SOAK_DIR) \
  SLURMRESTPY_PORT_OFFSET=$(if $(filter 22.05,$(SLURM)),330,340)
soak: venv
	$(SOAK_ENV) bash cluster/cluster.sh up
	$(BIN)/python bench/soak.py --cluster-dir $(SOAK_DIR) $(SOAK_ARGS); \
	  status=$$?; $(SOAK_ENV) bash cluster/cluster.sh down; exit $$status
# 10,000 jobs never go into the shared clusters: a private one (its own
# folder and ports, MaxJobCount raised and ended jobs forgotten after 2 s,
# in its slurm.conf only) is made for
# the run and stopped after it, jobs cancelled.
BENCH_JOBS ?= 10000
BENCH_DIR := $(CURDIR)/.cluster-bench-$(SLURM)
BENCH_ENV = SLURM=$(SLURM) SLURMRESTPY_CLUSTER_DIR=$(BENCH_DIR) \
  SLURMRESTPY_PORT_OFFSET=$(if $(filter 22.05,$(SLURM)),300,310) SLURMRESTPY_SLURM_CONF_EXTRA='MaxJobCount=30000 MinJobAge=2'
bench-private: venv
	@command -v wrk >/dev/null && command -v slurmrestd >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk slurmrestd >/dev/null; }
	@$(BIN)/python -c "import matplotlib" 2>/dev/null || $(BIN)/pip install --quiet -e '.[bench]'
	$(BENCH_ENV) bash cluster/cluster.sh up
	$(BIN)/python bench/run.py --cluster-dir $(BENCH_DIR) --jobs $(BENCH_JOBS) $(BENCH_ARGS); \
	  status=$$?; $(BENCH_ENV) bash cluster/cluster.sh down; exit $$status
