#!/usr/bin/env bash
# Fuzzes the real multipms-server against its own OpenAPI description with
# schemathesis: every 5xx and every answer that does not match the schema is a
# failure (non-zero exit).
#
#     eval "$(scripts/postgres.sh)"     # DATABASE_URL: a PostgreSQL admin URL
#     scripts/server-schemathesis.sh
#
# It makes a fresh database, migrates it, creates an organisation and its
# owner, changes the one-time password, signs in, serves on a free loopback
# port, runs schemathesis (installed from PyPI into target/schemathesis-venv
# when missing) with the owner's token, then always stops the server and drops
# the database. Tunables: SCHEMATHESIS_MAX_EXAMPLES (default 15 per
# operation), SCHEMATHESIS_MAX_SECONDS (default 240, a hard bound on the run),
# MULTIPMS_SERVER_BIN (a server binary already built; else one is built).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { echo "server-schemathesis: $*" >&2; }

if [[ -z "${DATABASE_URL:-}" ]]; then
    say "DATABASE_URL is not set; run: eval \"\$(scripts/postgres.sh)\""
    exit 2
fi

ADMIN_URL="$DATABASE_URL"
SCHEMATHESIS_VERSION=4.32.5
MAX_EXAMPLES=${SCHEMATHESIS_MAX_EXAMPLES:-15}
MAX_SECONDS=${SCHEMATHESIS_MAX_SECONDS:-240}
VENV=target/schemathesis-venv
ST="$VENV/bin/schemathesis"
WORK=$(mktemp -d /tmp/multipms-schemathesis.XXXXXX)
DB_NAME="multipms_st_$(date +%s)_$$"
SERVER_PID=""
DB_CREATED=""

# `$1` with its database replaced by `$2` (keeps user, host and ?options).
with_database() {
    python3 - "$1" "$2" <<'EOF'
import sys
url, name = sys.argv[1], sys.argv[2]
base, sep, query = url.partition("?")
start = base.find("://")
start = start + 3 if start >= 0 else 0
slash = base.find("/", start)
if slash >= 0:
    base = base[:slash]
print(f"{base}/{name}{sep}{query}")
EOF
}

cleanup() {
    local rc=$?
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        say "server stopped"
    fi
    if [[ -n "$DB_CREATED" ]]; then
        psql "$ADMIN_URL" -q -v ON_ERROR_STOP=1 \
            -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null 2>&1 \
            && say "database $DB_NAME dropped" \
            || say "could not drop database $DB_NAME"
    fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 1. schemathesis, when missing.
if ! "$ST" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    say "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# 2. The server: the binary in $MULTIPMS_SERVER_BIN (scripts/test.sh passes
# the one `cargo test --workspace` built, so no second set of dependencies
# with other features is compiled), else built here.
if [[ -n "${MULTIPMS_SERVER_BIN:-}" ]]; then
    SERVER="$MULTIPMS_SERVER_BIN"
    [[ -x "$SERVER" ]] || { say "MULTIPMS_SERVER_BIN=$SERVER is not an executable"; exit 2; }
else
    say "building multipms-server"
    cargo build -p multipms-server --quiet
    SERVER="${CARGO_TARGET_DIR:-target}/debug/multipms-server"
fi
say "server binary: $SERVER"

# 3. A fresh database, migrated, with an organisation and its owner.
psql "$ADMIN_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$DB_NAME\"" >/dev/null
DB_CREATED=1
DB_URL=$(with_database "$ADMIN_URL" "$DB_NAME")
say "database $DB_NAME created"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
# Generous limits: schemathesis sends many requests with one token, and
# fuzzes sign-in with wrong passwords.
cat >"$WORK/server.toml" <<EOF
database_url = "$DB_URL"
listen = "127.0.0.1:$PORT"
log_level = "warn"
requests_per_minute = 1000000
sign_in_lock_after_account = 1000000
sign_in_lock_after_address = 1000000
sign_in_slow_after = 1000000
max_connections = 5
# A sync pull may wait up to 25 s for changes; fuzzing asks for waits of
# every length, so this server waits 1 s at most.
sync_max_wait_secs = 1
EOF
# The environment would override the file.
unset MULTIPMS_DATABASE_URL MULTIPMS_ADMIN_DATABASE_URL MULTIPMS_LISTEN MULTIPMS_CONFIG
export MULTIPMS_CONFIG="$WORK/server.toml"
# database_url falls back to DATABASE_URL: point it at the new database too.
export DATABASE_URL="$DB_URL"

"$SERVER" migrate >/dev/null
EMAIL="owner@schemathesis.example.in"
"$SERVER" create-org --name "Schemathesis PG" --owner-email "$EMAIL" --owner-name "Owner Person" \
    >"$WORK/org.txt"
ONE_TIME=$(sed -n 's/^One-time password[^:]*: //p' "$WORK/org.txt")
[[ -n "$ONE_TIME" ]] || { say "create-org printed no one-time password"; exit 1; }

"$SERVER" serve >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; say "the server did not start"; exit 1; }
    sleep 0.2
done
curl -fsS "$BASE/readyz" >/dev/null

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
NEW_PASSWORD="ginger tea at five, schemathesis"
FIRST=$(curl -fsS -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$ONE_TIME\"}" "$BASE/api/v1/auth/sign-in" | json_field token)
curl -fsS -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $FIRST" \
    -d "{\"current_password\":\"$ONE_TIME\",\"new_password\":\"$NEW_PASSWORD\"}" \
    "$BASE/api/v1/auth/change-password"
TOKEN=$(curl -fsS -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$NEW_PASSWORD\"}" "$BASE/api/v1/auth/sign-in" | json_field token)
say "server on $BASE (pid $SERVER_PID), owner signed in"

# 3b. Some records, so the lists answer with real items (checked against the
# schema too): a property with a room, a tenant on a bed under a contract,
# April billed and a payment.
api() {
    curl -fsS -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" "$@"
}
PROPERTY=$(api -d '{"name":"Sai Comforts","address_line1":"12, 3rd Cross","city":"Bengaluru","state":"Karnataka","pin_code":"560034","code":"STP1"}' \
    "$BASE/api/v1/properties" | json_field id)
ROOM=$(api -d '{"floor":"1","room_number":"101","room_type":"standard","sharing":"2","ac":true,"rent_per_bed":"8,500"}' \
    "$BASE/api/v1/properties/$PROPERTY/rooms" | json_field id)
BED=$(api "$BASE/api/v1/rooms/$ROOM/beds" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
TENANT=$(api -d "{\"property_id\":\"$PROPERTY\",\"full_name\":\"Ravi Kumar\",\"mobile\":\"98450 12345\"}" \
    "$BASE/api/v1/tenants" | json_field id)
STAY=$(api -d "{\"bed_id\":\"$BED\",\"tenant_id\":\"$TENANT\",\"move_in\":\"01/04/2026\"}" \
    "$BASE/api/v1/allocations" | json_field id)
api -o /dev/null -d "{\"allocation_id\":\"$STAY\",\"monthly_rent\":\"8,500\",\"security_deposit\":\"17,000\",\"billing_day\":\"5\",\"notice_days\":\"30\",\"start_date\":\"01/04/2026\",\"status\":\"active\"}" \
    "$BASE/api/v1/tenants/$TENANT/contracts"
api -o /dev/null -d '{"month":"04/2026"}' "$BASE/api/v1/properties/$PROPERTY/billing-runs"
api -o /dev/null -d "{\"tenant_id\":\"$TENANT\",\"mode\":\"upi\",\"amount\":\"5,000\",\"paid_on\":\"10/04/2026\",\"reference\":\"412345678901\"}" \
    "$BASE/api/v1/payments"
say "seeded a property, a tenant with a contract, an invoice and a payment"

# 4. schemathesis. sign-out and change-password are left out: they would end
# the very session the run uses (they are covered by the Rust tests).
set +e
timeout --signal=INT --kill-after=30 "$MAX_SECONDS" \
    "$ST" run "$BASE/openapi.json" \
    --url "$BASE" \
    --header "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,response_schema_conformance \
    --exclude-path /api/v1/auth/sign-out \
    --exclude-path /api/v1/auth/change-password \
    --max-examples "$MAX_EXAMPLES" \
    --max-time "$((MAX_SECONDS - 30))" \
    --request-timeout 20 \
    --workers 1 \
    --seed 1 \
    --no-color \
    --suppress-health-check all \
    >"$WORK/schemathesis.txt" 2>&1
ST_RC=$?
set -e
cat "$WORK/schemathesis.txt"

if grep -q -i "panicked\|internal" "$WORK/server.log"; then
    say "server log (errors):"
    grep -i "panicked\|internal\|error" "$WORK/server.log" | tail -20 >&2
fi

echo
echo "== server-schemathesis summary"
echo "   server:      $BASE ($SERVER), database $DB_NAME"
echo "   schemathesis $SCHEMATHESIS_VERSION, up to $MAX_EXAMPLES examples per operation, $MAX_SECONDS s at most"
# The summary block of schemathesis: operations, phases, failures, cases.
sed -n '/^=* SUMMARY =*$/,$p' "$WORK/schemathesis.txt" | grep -E '^\s+(Selected|Tested|[^ ]+ +ST[0-9]+|[0-9]+ generated)|^\s+(✅|❌|⏭|⚠)' \
    | grep -v ' passed ' | sed 's/^ */   /'
if [[ $ST_RC -eq 0 ]]; then
    echo "   RESULT: PASS (no server errors, every response matches the schema)"
elif [[ $ST_RC -eq 124 || $ST_RC -eq 130 ]]; then
    echo "   RESULT: FAIL (schemathesis did not finish within $MAX_SECONDS s)"
else
    echo "   RESULT: FAIL (schemathesis exit code $ST_RC: see the failures above)"
fi
exit "$ST_RC"
