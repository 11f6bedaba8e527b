#!/usr/bin/env bash
# The black-box suites that pass on PostgreSQL, run again there (README: Scale-out on PostgreSQL):
#
#   bash scripts/postgres-suites.sh
#
# GATEWAY_TEST_STORE=postgres makes every TestGateway start on a fresh database of a throwaway PostgreSQL cluster
# (one per test process, copied from a migrated template). The list grows as suites pass on the server; the suites
# that wait for an outbound delivery join it once the outbox claims have their PostgreSQL form. Run after `swift test`
# (it builds nothing new); about a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

suites=(
    IngressTests.PostgresSchemaTests IngressTests.PostgresStoreTests
)
filter="^($(IFS='|'; echo "${suites[*]}"))/"
GATEWAY_TEST_STORE=postgres swift test --filter "$filter"
