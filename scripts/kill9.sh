#!/usr/bin/env bash
# The long kill -9 durability run of rankql serve (docs/reliability.md): KillNineDurabilityTest with N kills
# (default 100) instead of CI's 5. Usage: scripts/kill9.sh [KILLS] [SEED]
# The summary line (kills survived, writes and documents acknowledged, seconds, seed) is printed at the end and
# written to cli/target/kill9-report.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kills=${1:-100}
seed_option=()
if [[ -n ${2-} ]]; then seed_option=("-Drankql.kills.seed=$2"); fi
# shellcheck source=scripts/jdk.sh
. "$root/scripts/jdk.sh"
rankql_find_jdk
cd "$root"
./mvnw -B -ntp -pl cli -am test -Dtest=KillNineDurabilityTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Drankql.kills="$kills" -Drankql.kills.report="$root/cli/target/kill9-report.txt" "${seed_option[@]}"
cat "$root/cli/target/kill9-report.txt"
