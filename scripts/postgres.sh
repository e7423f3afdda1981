#!/usr/bin/env bash
# Prints `export DATABASE_URL=…`: an admin URL of a PostgreSQL server the
# server's tests can create databases on. Use it as
#
#     eval "$(scripts/postgres.sh)"
#
# 1. $DATABASE_URL when set;
# 2. else a server answering on 127.0.0.1:5432 (user postgres, password
#    $PGPASSWORD or "postgres");
# 3. else a throwaway cluster in a temporary folder on a free port, started
#    as the `postgres` user (PostgreSQL refuses to run as root), installing
#    Debian's postgresql packages first when no binaries are found.
#
# Messages go to stderr; only export lines go to stdout. A throwaway cluster's
# folder is exported as MULTIPMS_POSTGRES_DIR; `scripts/postgres.sh stop`
# stops it and removes the folder (and does nothing when there is none), e.g.
#
#     pg_env=$(scripts/postgres.sh) && eval "$pg_env"
#     trap 'scripts/postgres.sh stop' EXIT
set -euo pipefail

say() { echo "postgres.sh: $*" >&2; }

if [[ "${1:-}" == "stop" ]]; then
    dir="${MULTIPMS_POSTGRES_DIR:-}"
    if [[ -n "$dir" && -f "$dir/data/postmaster.pid" ]]; then
        pg_ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)
        if [[ $(id -u) -eq 0 ]]; then
            runuser -u postgres -- "$pg_ctl" -D "$dir/data" stop -m fast >&2 || true
        else
            "$pg_ctl" -D "$dir/data" stop -m fast >&2 || true
        fi
    fi
    if [[ -n "$dir" && "$dir" == /tmp/multipms-postgres.* ]]; then
        rm -rf "$dir"
        say "stopped and removed $dir"
    fi
    exit 0
fi

if [[ -n "${DATABASE_URL:-}" ]]; then
    say "using \$DATABASE_URL"
    printf 'export DATABASE_URL=%q\n' "$DATABASE_URL"
    exit 0
fi

if command -v psql >/dev/null 2>&1; then
    local_url="postgres://postgres:${PGPASSWORD:-postgres}@127.0.0.1:5432/postgres"
    if PGCONNECT_TIMEOUT=3 psql "$local_url" -qAtc 'SELECT 1' >/dev/null 2>&1; then
        say "using the server on 127.0.0.1:5432"
        printf 'export DATABASE_URL=%q\n' "$local_url"
        exit 0
    fi
fi

find_bin() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if ! bin=$(find_bin); then
    if [[ $(id -u) -ne 0 ]]; then
        say "no PostgreSQL binaries under /usr/lib/postgresql and not root: install the postgresql package or set DATABASE_URL"
        exit 1
    fi
    say "installing Debian's postgresql packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    bin=$(find_bin) || { say "PostgreSQL was installed but initdb was not found"; exit 1; }
fi

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=""
for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if port_is_free "$candidate"; then
        port=$candidate
        break
    fi
done
[[ -n "$port" ]] || { say "no free port found"; exit 1; }

dir=$(mktemp -d /tmp/multipms-postgres.XXXXXX)
chmod 755 "$dir"
as_db_user=()
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /bin/sh postgres
    chown postgres: "$dir"
    as_db_user=(runuser -u postgres --)
fi

"${as_db_user[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; say "initdb failed"; exit 1; }
"${as_db_user[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >&2 \
    || { cat "$dir/postgres.log" >&2; say "PostgreSQL did not start"; exit 1; }

say "throwaway PostgreSQL on 127.0.0.1:$port in $dir"
echo "# stop: ${as_db_user[*]} $bin/pg_ctl -D $dir/data stop -m fast && rm -rf $dir"
printf 'export MULTIPMS_POSTGRES_DIR=%q\n' "$dir"
printf 'export DATABASE_URL=%q\n' "postgres://postgres@127.0.0.1:$port/postgres"
