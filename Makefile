# alliance — PGXS build.
#
#   make            build the extension (make WERROR=1: warnings are errors, as the tests build it)
#   make install    install into the PostgreSQL found by pg_config
#   make test       everything: Debian packages, core unit tests, build, install,
#                   pg_regress and pgTAP in a throwaway cluster; ends "N passed, N failed"
#   make demo       the main job on the embedded sample clinic, in a throwaway cluster
#   make bench      benchmarks against plain-SQL baselines (bench/)
#   make test-matrix, make fuzz, make test-sqlsmith: longer checks (doc/development.md)
#   make dist       the PGXN archive; dpkg-buildpackage -us -uc -b the Debian packages

EXTENSION  = alliance
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" alliance.control)

MODULE_big = alliance
CORE_SRCS  = $(sort $(wildcard src/core/*.c))
PG_SRCS    = $(sort $(wildcard src/pg/*.c))
OBJS       = $(CORE_SRCS:.c=.o) $(PG_SRCS:.c=.o)

# The install script is built from per-concern SQL files beside the C that
# implements them, in dependency order.  One version number: alliance.control.
SQL_MODULES = src/pg/install_guard.sql \
              src/pg/response.sql \
              src/pg/scoring.sql \
              src/pg/instruments.sql \
              $(wildcard src/pg/trajectory.sql) \
              $(wildcard src/pg/reporting.sql) \
              $(wildcard src/pg/svg.sql) \
              src/pg/calibrate.sql \
              src/pg/dyad.sql \
              src/pg/alerts.sql \
              src/pg/fhir_issues.sql \
              $(wildcard src/pg/fhir.sql)
DATA_built  = $(EXTENSION)--$(EXTVERSION).sql
# Released versions' install scripts, kept as released (CREATE EXTENSION ...
# VERSION 'x' and the upgrade chain from it), and one upgrade script per
# release: every change to an SQL object after a release goes into the upgrade
# script of the version in development (doc/upgrading.md).
DATA        = $(wildcard sql/released/$(EXTENSION)--*.sql) \
              $(wildcard sql/upgrade/$(EXTENSION)--*--*.sql)

# pg_regress: one file per feature area under sql/, expected output in expected/.
REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --load-extension=$(EXTENSION)

PG_CPPFLAGS = -I$(srcdir)/src/core
PG_CFLAGS   = -std=gnu99 -Wall -Wextra -Wno-unused-parameter \
              -Wno-sign-compare -Wno-missing-field-initializers
# Warnings are errors in the tests and CI, never in a user's build: a newer
# compiler's new warning must not stop a clinic's install.
ifdef WERROR
PG_CFLAGS  += -Werror
endif

EXTRA_CLEAN = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies: a changed struct must rebuild every object.
$(OBJS): $(wildcard src/core/*.h src/pg/*.h)

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_MODULES) alliance.control Makefile
	( printf -- '-- alliance %s: generated from src/pg/*.sql by make; do not edit.\n' '$(EXTVERSION)'; \
	  printf -- '\\echo Use "CREATE EXTENSION alliance" to load this file. \\quit\n'; \
	  for f in $(SQL_MODULES); do printf -- '\n-- ---- %s ----\n' "$$f"; cat "$$f"; done ) > $@

.PHONY: test test-matrix test-asan test-sqlsmith fuzz demo bench bench-quick bench-signal dist
test:
	bash test/run-all.sh

# The suite against every PostgreSQL in PG_CONFIGS (pg_config paths; doc/development.md).
test-matrix:
	PG_CONFIGS="$(PG_CONFIGS)" bash test/matrix.sh

# The suite with the extension under ASan + UBSan, in a server built with
# -fsanitize=address (doc/development.md); any sanitizer report fails it.
ASAN_PG_CONFIG ?= $(HOME)/.cache/alliance-pg/18-asan/bin/pg_config
test-asan:
	SANITIZE=1 PG_CONFIGS="$(ASAN_PG_CONFIG)" bash test/matrix.sh

# Every libFuzzer target for FUZZ_SECONDS each (default 600; make test runs 10 s each).
FUZZ_SECONDS ?= 600
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash test/fuzz/run.sh

# Random SQL against the extension (SQLSMITH_QUERIES, default 10000); not part of make test.
test-sqlsmith: install
	bash test/sqlsmith.sh

demo:
	bash demo/run.sh

bench:
	bash bench/run.sh

# The same at a scale that runs in under 2 minutes, for development.
bench-quick:
	BENCH_CLIENTS=10000 BENCH_MEMORY_ROWS=2000000 BENCH_ALERT_CLIENTS=5000 bash bench/run.sh

# Rupture rules on a synthetic clinic with known truth (bench/signal/README.md).
bench-signal:
	bash bench/signal/run.sh

# The PGXN archive of the committed tree (META.json at its top, as PGXN wants).
dist:
	git archive --format zip --prefix=$(EXTENSION)-$(EXTVERSION)/ -o $(EXTENSION)-$(EXTVERSION).zip HEAD
	@echo "wrote $(EXTENSION)-$(EXTVERSION).zip"
