#!/usr/bin/env bash
# Lints the API's OpenAPI document with Spectral and the ruleset of the Dutch API Design Rules
# (tests/api/adr-ruleset.yaml). Not part of CI: the project's own test
# `the_openapi_document_matches_the_api_and_the_design_rules` checks the same rules offline.
#
#   bash tests/api/spectral.sh            # lints crates/koers/src/web/api/openapi.json
#   bash tests/api/spectral.sh URL|FILE   # lints another document, e.g. a running app's
#
# Installs @stoplight/spectral-cli from npm into $SPECTRAL_PREFIX (default /tmp/koers-spectral)
# when it is not there yet. Exits non-zero when the ruleset reports an error.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
prefix="${SPECTRAL_PREFIX:-/tmp/koers-spectral}"
if [ ! -x "${prefix}/node_modules/.bin/spectral" ]; then
  npm install --silent --no-audit --no-fund --prefix "${prefix}" @stoplight/spectral-cli >&2
fi
"${prefix}/node_modules/.bin/spectral" lint --fail-severity error \
  -r tests/api/adr-ruleset.yaml "${1:-crates/koers/src/web/api/openapi.json}"
