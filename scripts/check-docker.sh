#!/usr/bin/env bash
# Checks docker/ without a Docker engine, for CI:
#  1. docker/compose.yaml: services, replicas, healthchecks, and secrets taken from the environment.
#  2. docker/Dockerfile and .dockerignore: stages, base image tag, user, HEALTHCHECK, CMD.
#  3. docker/nginx.conf: `nginx -t`, with the upstream and listen address pointed at this machine.
#  4. The image build, rehearsed outside Docker: the Dockerfile's COPY and RUN steps run in one
#     temporary folder per stage (npm ci, the builds, npm ci --omit=dev), on a copy of the working
#     tree as `docker build` would send it. Then two API processes start at once from the
#     production-only folder, like the compose file's replicas, on a new database, and behind
#     nginx. They must return Query for `{ __typename }`, pass the image's HEALTHCHECK, and
#     exit with status 0 on SIGTERM.
# DATABASE_URL (a PostgreSQL server where the check creates and drops a database, given as a
# URL without query parameters) and REDIS_URL default to the servers on 127.0.0.1.
# Needs git, node, npm, python3 with PyYAML, psql and curl. Without nginx, step 3 and the
# requests through nginx in step 4 are skipped.
# Took 1.5 to 3 minutes on the development machine, mostly the two npm ci runs and deleting
# the temporary folders.
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$PWD
started_at=$SECONDS

admin_database_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

for tool in git node npm python3 psql curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed"
done
python3 -c 'import yaml' 2>/dev/null || fail "python3 has no PyYAML; install it with: pip install pyyaml (or apt-get install python3-yaml)"

work=$(mktemp -d -t check-docker.XXXXXX)
# nginx's worker processes run as the user nobody, and their temporary folders are in here.
chmod 711 "$work"
database="todo_docker_check_$$_${RANDOM}"
database_created=false
pids=()

cleanup() {
  local status=$?
  # Emptied entries are processes that this script already stopped and waited for.
  for pid in "${pids[@]}"; do
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in "${pids[@]}"; do
    if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
  done
  if [ "$database_created" = true ]; then
    psql -q "$admin_database_url" -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null ||
      echo "Failed to drop the database $database. Drop it with: DROP DATABASE \"$database\" WITH (FORCE)" >&2
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "== 1. Compose file"
python3 docker/check_docker.py compose docker/compose.yaml

echo "== 2. Dockerfile"
python3 docker/check_docker.py dockerfile docker/Dockerfile .dockerignore

echo "== 3. nginx configuration"
api_ports=("$(free_port)" "$(free_port)")
lb_port=$(free_port)
nginx_available=false
if command -v nginx >/dev/null; then
  nginx_available=true
  mkdir "$work/nginx"
  # The same configuration, with the two API processes of step 4 as the upstream, a local
  # port and the user nobody in place of the compose names. Temporary files and the access
  # log go to the work folder instead of the system's nginx folders.
  temp_paths="client_body_temp_path $work/nginx/client_body; proxy_temp_path $work/nginx/proxy;"
  temp_paths+=" fastcgi_temp_path $work/nginx/fastcgi; uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;"
  temp_paths+=" access_log $work/nginx/access.log;"
  sed -e "s|^\( *\)server api:4000;|\1server 127.0.0.1:${api_ports[0]};\n\1server 127.0.0.1:${api_ports[1]};|" \
    -e "s|^\( *\)listen 80;|\1listen 127.0.0.1:$lb_port;|" \
    -e "s|^user nginx;|user nobody $(id -gn nobody);|" \
    -e "s|^http {|http {\n  $temp_paths|" \
    docker/nginx.conf >"$work/nginx/nginx.conf"
  grep -q "server 127.0.0.1:${api_ports[1]};" "$work/nginx/nginx.conf" || fail "docker/nginx.conf has no 'server api:4000;' line to point at the local API"
  grep -q "listen 127.0.0.1:$lb_port;" "$work/nginx/nginx.conf" || fail "docker/nginx.conf has no 'listen 80;' line to point at a local port"
  nginx_flags=(-p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" -g "pid $work/nginx/nginx.pid;")
  nginx -q -t "${nginx_flags[@]}" || fail "nginx -t rejected docker/nginx.conf"
  echo "  ok   nginx -t accepts docker/nginx.conf ($(nginx -v 2>&1))"
else
  echo "  SKIPPED: nginx is not installed (apt-get install nginx), so docker/nginx.conf is not checked"
fi

echo "== 4. Image build, rehearsed in $work"
python3 docker/check_docker.py rehearse docker/Dockerfile "$repository" "$work"
runtime="$work/$(cat "$work/final-stage")"
mapfile -t runtime_env <"$work/runtime.env"
mapfile -t healthcheck_command <"$work/healthcheck.args"
mapfile -t api_command <"$work/cmd.args"
echo "  production folder: $(du -sh "$runtime" | cut -f1), of which node_modules $(du -sh "$runtime/node_modules" | cut -f1)"

psql -q "$admin_database_url" -c "CREATE DATABASE \"$database\"" >/dev/null
database_created=true
database_url="${admin_database_url%/*}/$database"
auth_secret=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(48).toString("base64"))')

# Starts the image's CMD from the production folder with the image's ENV and the variables that
# compose.yaml gives a replica, and nothing else from this shell. nginx connects from loopback.
start_api() {
  local port=$1
  (
    cd "$runtime"
    exec env -i PATH="$PATH" "${runtime_env[@]}" HOST=127.0.0.1 PORT="$port" \
      DATABASE_URL="$database_url" REDIS_URL="$redis_url" BETTER_AUTH_SECRET="$auth_secret" TRUST_PROXY=loopback \
      "${api_command[@]}"
  ) >"$work/api-$port.log" 2>&1 &
  pids+=($!)
}

graphql_typename() {
  curl -sS --max-time 5 -H 'content-type: application/json' --data '{"query":"{ __typename }"}' "http://127.0.0.1:$1/graphql"
}

show_logs() {
  local port
  for port in "${api_ports[@]}"; do
    echo "--- last lines of the API on port $port:" >&2
    tail -n 20 "$work/api-$port.log" >&2 || true
  done
}

for port in "${api_ports[@]}"; do
  start_api "$port"
done
for index in 0 1; do
  port=${api_ports[$index]}
  answer=""
  for _attempt in $(seq 1 120); do
    answer=$(graphql_typename "$port" 2>/dev/null) && break
    kill -0 "${pids[$index]}" 2>/dev/null || { show_logs; fail "the API on port $port exited during its start"; }
    sleep 0.5
  done
  [ "$answer" = '{"data":{"__typename":"Query"}}' ] || { show_logs; fail "POST /graphql on port $port did not return Query within 60 s (got: $answer)"; }
  echo "  ok   API process on port $port returns {\"data\":{\"__typename\":\"Query\"}}"
  (cd "$runtime" && env -i PATH="$PATH" "${runtime_env[@]}" PORT="$port" "${healthcheck_command[@]}") ||
    { show_logs; fail "the image's HEALTHCHECK (${healthcheck_command[*]}) failed on port $port"; }
  echo "  ok   HEALTHCHECK (${healthcheck_command[*]}) passes"
done

migrated=$(cat "$work"/api-*.log | grep -c '"database migrations applied"' || true)
[ "$migrated" -eq 1 ] || { show_logs; fail "expected one process to apply the migrations, but $migrated did"; }
echo "  ok   one of the two processes applied the migrations"
readiness=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:${api_ports[0]}/readyz")
[ "$readiness" = 200 ] || fail "GET /readyz returned HTTP $readiness, expected 200"
echo "  ok   GET /readyz returns 200 (PostgreSQL, migrations and Redis)"
if [ -f "$runtime/web/dist/index.html" ]; then
  page=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code} %{content_type}' "http://127.0.0.1:${api_ports[0]}/")
  [[ "$page" == "200 text/html"* ]] || fail "GET / returned '$page', expected 200 text/html from web/dist"
  echo "  ok   GET / returns the web app"
else
  echo "  note the rehearsed build has no web app (web/index.html is missing), so / is not checked"
fi

if [ "$nginx_available" = true ]; then
  nginx "${nginx_flags[@]}" -g "daemon off;" &
  pids+=($!)
  answer=""
  for _attempt in $(seq 1 20); do
    answer=$(graphql_typename "$lb_port" 2>/dev/null) && break
    sleep 0.25
  done
  [ "$answer" = '{"data":{"__typename":"Query"}}' ] || fail "POST /graphql through nginx did not return Query (got: $answer)"
  echo "  ok   POST /graphql through nginx returns Query"
  # A body between the API's 100 kB limit and nginx's client_max_body_size must get the API's
  # JSON error, and a larger one nginx's 413.
  python3 -c 'import json; print(json.dumps({"query": "{ __typename }", "variables": {"padding": "x" * 110_000}}))' >"$work/110k.json"
  python3 -c 'import json; print(json.dumps({"query": "{ __typename }", "variables": {"padding": "x" * 200_000}}))' >"$work/200k.json"
  near_limit=$(curl -sS --max-time 5 -H 'content-type: application/json' --data-binary "@$work/110k.json" "http://127.0.0.1:$lb_port/graphql")
  [[ "$near_limit" == *'"PAYLOAD_TOO_LARGE"'* ]] || fail "a 110 kB body through nginx did not get the API's PAYLOAD_TOO_LARGE (got: ${near_limit:0:200})"
  echo "  ok   a 110 kB body reaches the API, which rejects it with PAYLOAD_TOO_LARGE"
  too_large=$(curl -sS --max-time 5 -o /dev/null -w '%{http_code}' -H 'content-type: application/json' --data-binary "@$work/200k.json" "http://127.0.0.1:$lb_port/graphql")
  [ "$too_large" = 413 ] || fail "a 200 kB body through nginx returned HTTP $too_large, expected 413"
  echo "  ok   a 200 kB body gets 413 from nginx"
fi

for index in 0 1; do
  pid=${pids[$index]}
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  pids[$index]=""
  [ "$status" -eq 0 ] || { show_logs; fail "the API on port ${api_ports[$index]} exited with status $status after SIGTERM, expected 0"; }
done
echo "  ok   both API processes exit with status 0 on SIGTERM"

echo "All Docker checks passed in $((SECONDS - started_at)) s."
