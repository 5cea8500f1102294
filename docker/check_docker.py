"""Check docker/ without a Docker engine. scripts/check-docker.sh runs each command.

  check_docker.py compose COMPOSE_FILE
      Validate the services, replicas, healthchecks and secrets of the compose file.
  check_docker.py dockerfile DOCKERFILE DOCKERIGNORE
      Validate the stages, base images, user, healthcheck and command of the Dockerfile.
  check_docker.py rehearse DOCKERFILE REPOSITORY WORK_DIR
      Run the Dockerfile's COPY and RUN steps outside Docker, one folder per stage under
      WORK_DIR, with WORKDIR /app mapped to that folder. The final stage's folder is
      WORK_DIR/<stage name>, and its ENV, HEALTHCHECK and CMD are written beside it.

Each command prints one line per check and exits with status 1 after listing every failure.
Needs Python 3.9 or newer and PyYAML.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

failures = []


def check(condition, message):
    """Record a failed check, or print the passed one."""
    if condition:
        print(f"  ok   {message}")
    else:
        print(f"  FAIL {message}")
        failures.append(message)


def finish():
    """Exit with status 1 when any check failed."""
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)


# --- compose.yaml ---------------------------------------------------------------------------

REQUIRED_VARIABLE = re.compile(r"^\$\{(?P<name>[A-Z_][A-Z0-9_]*):\?[^}]*\}$")
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|KEY", re.IGNORECASE)


def environment_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def healthcheck_command(service):
    test = (service.get("healthcheck") or {}).get("test")
    if isinstance(test, list):
        return " ".join(str(part) for part in test)
    return str(test or "")


def depends_on_healthy(service, dependency):
    depends_on = service.get("depends_on") or {}
    return isinstance(depends_on, dict) and (depends_on.get(dependency) or {}).get("condition") == "service_healthy"


def check_compose(path):
    compose = yaml.safe_load(Path(path).read_text())
    services = compose.get("services") or {}
    print(f"{path}:")
    check(set(services) == {"postgres", "redis", "api", "lb"}, f"services are postgres, redis, api and lb (got {sorted(services)})")
    postgres = services.get("postgres", {})
    redis = services.get("redis", {})
    api = services.get("api", {})
    lb = services.get("lb", {})

    major = re.match(r"^postgres:(\d+)", str(postgres.get("image", "")))
    check(major is not None and int(major.group(1)) >= 15, f"postgres image is PostgreSQL 15 or newer (got {postgres.get('image')})")
    check(any(":/var/lib/postgresql" in str(volume) for volume in postgres.get("volumes") or []), "postgres keeps its data in a volume")
    check("pg_isready" in healthcheck_command(postgres), "postgres healthcheck runs pg_isready")
    check(str(redis.get("image", "")).startswith("redis:7"), f"redis image is Redis 7 (got {redis.get('image')})")
    check("redis-cli" in healthcheck_command(redis) and "ping" in healthcheck_command(redis), "redis healthcheck runs redis-cli ping")

    build = api.get("build") or {}
    dockerfile = (Path(path).parent / str(build.get("context", "."))).resolve() / str(build.get("dockerfile", "Dockerfile"))
    check(dockerfile.resolve() == (Path(path).parent / "Dockerfile").resolve(), f"api is built from docker/Dockerfile (got {dockerfile})")
    check((api.get("deploy") or {}).get("replicas") == 2, "api runs 2 replicas (deploy.replicas)")
    check("ports" not in api and "container_name" not in api, "api publishes no port and has no container_name, so replicas can run")
    env = environment_of(api)
    check(str(env.get("DATABASE_URL", "")).startswith("postgres://"), "api sets DATABASE_URL")
    check(str(env.get("REDIS_URL", "")).startswith("redis://"), "api sets REDIS_URL")
    secret = REQUIRED_VARIABLE.match(str(env.get("BETTER_AUTH_SECRET", "")))
    check(secret is not None and secret.group("name") == "BETTER_AUTH_SECRET", "api takes BETTER_AUTH_SECRET from the environment, required (${BETTER_AUTH_SECRET:?...})")
    check(depends_on_healthy(api, "postgres") and depends_on_healthy(api, "redis"), "api waits for healthy postgres and redis")

    # TRUST_PROXY must name the subnet of the network through which nginx reaches the API.
    networks = compose.get("networks") or {}
    shared = set(lb.get("networks") or []) & set(api.get("networks") or [])
    subnets = {
        str(pool.get("subnet"))
        for name in shared
        for pool in (((networks.get(name) or {}).get("ipam") or {}).get("config") or [])
    }
    trust_proxy = str(env.get("TRUST_PROXY", ""))
    check(trust_proxy != "" and subnets == {trust_proxy}, f"api's TRUST_PROXY ({trust_proxy}) is the subnet of the network it shares with lb ({sorted(subnets)})")

    check(str(lb.get("image", "")).startswith("nginx:"), f"lb is nginx (got {lb.get('image')})")
    check(any(str(volume).startswith("./nginx.conf:") for volume in lb.get("volumes") or []), "lb mounts docker/nginx.conf")
    check([str(port) for port in lb.get("ports") or []] == ["127.0.0.1:8080:80"], "lb is published on 127.0.0.1:8080 only")
    check(depends_on_healthy(lb, "api"), "lb waits for healthy api replicas")

    # A variable whose name looks secret must come from the environment with no default, and
    # a URL may carry a password only as such a variable.
    for name, service in services.items():
        for variable, value in environment_of(service).items():
            text = "" if value is None else str(value)
            if SECRET_NAME.search(variable):
                check(REQUIRED_VARIABLE.match(text) is not None, f"{name}.{variable} comes from the environment, required, with no default")
            password = re.match(r"^[a-z]+://[^:/@]+:([^@]*)@", text)
            if password:
                check(REQUIRED_VARIABLE.match(password.group(1)) is not None, f"{name}.{variable} takes its password from the environment")
    finish()


# --- Dockerfile -----------------------------------------------------------------------------


def parse_dockerfile(path):
    """Return the stages as [{"name", "image", "steps": [(INSTRUCTION, arguments)]}], joining continued lines."""
    stages = []
    pending = ""
    for raw in Path(path).read_text().splitlines():
        stripped = raw.strip()
        # Docker drops comment lines and blank lines, also inside a continued instruction.
        if stripped.startswith("#") or stripped == "":
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        line = (pending + stripped).strip()
        pending = ""
        instruction, _, arguments = line.partition(" ")
        instruction = instruction.upper()
        arguments = arguments.strip()
        if instruction == "FROM":
            words = arguments.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else str(len(stages))
            stages.append({"name": name, "image": words[0], "steps": []})
        elif stages:
            stages[-1]["steps"].append((instruction, arguments))
    return stages


def steps_of(stage, instruction):
    return [arguments for name, arguments in stage["steps"] if name == instruction]


def parse_env(arguments):
    """Parse ENV's KEY=VALUE pairs (the legacy `ENV KEY VALUE` form is not used here)."""
    return dict(word.split("=", 1) for word in shlex.split(arguments))


def exec_form(arguments):
    """Parse a JSON exec form such as ["node", "x.js"], or return None."""
    try:
        value = json.loads(arguments)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, list) and all(isinstance(item, str) for item in value) else None


def healthcheck_exec_form(arguments):
    command = re.search(r"\bCMD\s+(\[.*\])\s*$", arguments)
    return exec_form(command.group(1)) if command else None


def check_dockerfile(path, dockerignore):
    stages = parse_dockerfile(path)
    by_name = {stage["name"]: stage for stage in stages}
    print(f"{path}:")
    check({"build", "production-dependencies"} <= set(by_name), "has build and production-dependencies stages")
    runtime = stages[-1] if stages else {"name": "", "image": "", "steps": []}
    check(runtime["image"] not in by_name, f"final stage {runtime['name']} starts from a base image, not from a build stage")

    images = {stage["image"] for stage in stages if stage["image"] not in by_name}
    check(len(images) == 1, f"build and runtime use one Node.js image (got {sorted(images)})")
    check(all(re.fullmatch(r"node:\d+\.\d+-bookworm-slim", image) for image in images), "the Node.js image is pinned to a major.minor bookworm-slim tag")
    base_stages = [stage for stage in stages if stage["image"] not in by_name]
    check(all(steps_of(stage, "WORKDIR") == ["/app"] for stage in base_stages), "every stage works in /app")

    build_runs = " && ".join(steps_of(by_name.get("build", runtime), "RUN"))
    check(re.search(r"\bnpm ci\b(?![^&]*--omit)", build_runs) is not None, "build stage runs npm ci with dev dependencies")
    check("node scripts/build-api.mjs" in build_runs, "build stage builds the API with scripts/build-api.mjs")
    check(re.search(r"if \[ -f web/index\.html \]; then npm run build -w web", build_runs) is not None, "build stage builds the web app only when web/index.html exists")
    dependency_runs = " && ".join(steps_of(by_name.get("production-dependencies", runtime), "RUN"))
    check(re.search(r"\bnpm ci\b[^&]*--omit=dev", dependency_runs) is not None, "production-dependencies stage runs npm ci --omit=dev")

    copies = steps_of(runtime, "COPY")
    check(any(copy.startswith("--from=production-dependencies ") and "node_modules" in copy for copy in copies), "runtime copies node_modules from production-dependencies")
    check(any(copy.startswith("--from=build ") and "/app/build " in copy for copy in copies), "runtime copies build/ from the build stage")
    check(any(copy.startswith("--from=build ") and "/app/web/dist " in copy for copy in copies), "runtime copies web/dist from the build stage")
    check(not steps_of(runtime, "RUN"), "runtime stage runs nothing, so it holds no build tools or dev dependencies")

    env = {}
    for arguments in steps_of(runtime, "ENV"):
        env.update(parse_env(arguments))
    for key, value in {"NODE_ENV": "production", "HOST": "0.0.0.0", "PORT": "4000"}.items():
        check(env.get(key) == value, f"runtime sets {key}={value} (got {env.get(key)})")
    check("4000" in " ".join(steps_of(runtime, "EXPOSE")).split(), "runtime exposes port 4000")
    users = steps_of(runtime, "USER")
    user = users[-1].split(":")[0] if users else "root"
    check(user not in {"root", "0"}, f"runtime runs as a non-root user (got {user})")
    healthchecks = steps_of(runtime, "HEALTHCHECK")
    health = healthcheck_exec_form(healthchecks[-1]) if healthchecks else None
    check(health is not None and health[0] == "node", f"HEALTHCHECK runs node in exec form (got {healthchecks})")
    commands = [exec_form(arguments) for arguments in steps_of(runtime, "CMD")]
    check(commands[-1:] == [["node", "build/api/src/main.js"]], f'CMD is ["node", "build/api/src/main.js"] (got {steps_of(runtime, "CMD")})')

    ignored = {line.strip() for line in Path(dockerignore).read_text().splitlines() if line.strip() and not line.startswith("#")}
    for entry in ["node_modules", "build", "dist", ".data", ".git"]:
        check(entry in ignored or f"**/{entry}" in ignored, f"{dockerignore} excludes {entry}")
    finish()


# --- Rehearsal of the image build -----------------------------------------------------------


def dockerignore_matcher(path):
    """Return a predicate for paths that .dockerignore excludes (`*`, `?` and `**`, no `!` exceptions)."""
    patterns = []
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("!"):
            raise SystemExit(f"{path}: exception patterns ({line}) are not supported by this check")
        regex = ""
        for token in re.split(r"(\*\*/|\*\*|\*|\?)", line.strip("/")):
            regex += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(token, re.escape(token))
        # A pattern that matches a folder excludes everything under it.
        patterns.append(re.compile(f"^{regex}(?:/.*)?$"))
    return lambda relative: any(pattern.match(relative) for pattern in patterns)


def make_context(repository, dockerignore, target):
    """Copy the files that `docker build` would send: the working tree, uncommitted files included,
    less what .gitignore and .dockerignore exclude."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=repository, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    tracked = set(subprocess.run(["git", "ls-files", "-z"], cwd=repository, check=True, capture_output=True).stdout.decode().split("\0"))
    modified = subprocess.run(["git", "ls-files", "-z", "--modified"], cwd=repository, check=True, capture_output=True).stdout.decode().split("\0")
    excluded = dockerignore_matcher(dockerignore)
    copied = uncommitted = 0
    for relative in filter(None, listing):
        source = Path(repository) / relative
        if not source.is_file() or excluded(relative):
            continue
        destination = Path(target) / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
        copied += 1
        uncommitted += relative not in tracked or relative in modified
    print(f"  build context: {copied} files of the working tree, {uncommitted} of them new or changed since the last commit")


def copy_into(source, destination, into_folder):
    """Copy like Docker's COPY: a folder's contents, or a file into a folder when the destination ends with /."""
    if source.is_dir():
        shutil.copytree(source, destination, symlinks=True, dirs_exist_ok=True)
    else:
        target = destination / source.name if into_folder else destination
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)


def in_stage(stage_folder, path):
    """Map a path of the image (/app/... or relative to WORKDIR /app) into the stage's folder."""
    if path.startswith("/app/"):
        path = path[len("/app/"):]
    elif path.startswith("/"):
        raise SystemExit(f"{path}: only paths under WORKDIR /app are supported by this check")
    return stage_folder / path


def rehearse(dockerfile, repository, work):
    stages = parse_dockerfile(dockerfile)
    work = Path(work)
    context = work / "context"
    make_context(repository, Path(repository) / ".dockerignore", context)
    folders = {}
    environments = {}
    for stage in stages:
        folder = work / stage["name"]
        parent = folders.get(stage["image"])
        if parent is not None:
            shutil.copytree(parent, folder, symlinks=True)
        else:
            folder.mkdir()
        folders[stage["name"]] = folder
        env = dict(environments.get(stage["image"], {}))
        environments[stage["name"]] = env
        for instruction, arguments in stage["steps"]:
            if instruction == "ENV":
                env.update(parse_env(arguments))
            elif instruction == "COPY":
                words = shlex.split(arguments)
                source_stage = words.pop(0)[len("--from="):] if words[0].startswith("--from=") else None
                *sources, destination = words
                for source in sources:
                    origin = in_stage(folders[source_stage], source) if source_stage else context / source
                    copy_into(origin, in_stage(folder, destination), destination.endswith("/"))
            elif instruction == "RUN" and re.match(r"npm install --global npm@", arguments):
                # Not run here, because it would replace this machine's npm. The major versions must match.
                image_major = re.search(r"npm@(\d+)\.", arguments).group(1)
                local = subprocess.run(["npm", "--version"], check=True, capture_output=True, text=True).stdout.strip()
                check(local.split(".")[0] == image_major, f"local npm {local} has the major version of the image's npm {image_major}")
            elif instruction == "RUN":
                print(f"  [{stage['name']}] RUN {arguments}", flush=True)
                result = subprocess.run(["sh", "-ec", arguments], cwd=folder, env={**build_environment(), **env})
                check(result.returncode == 0, f"[{stage['name']}] RUN exited with status {result.returncode}")
                if result.returncode != 0:
                    finish()
            elif instruction not in {"WORKDIR", "USER", "EXPOSE", "HEALTHCHECK", "CMD"}:
                check(False, f"[{stage['name']}] {instruction} is not rehearsed by this check")
        if stage is stages[-1]:
            (work / "runtime.env").write_text("".join(f"{key}={value}\n" for key, value in env.items()))
            health = healthcheck_exec_form(steps_of(stage, "HEALTHCHECK")[-1])
            (work / "healthcheck.args").write_text("".join(f"{word}\n" for word in health))
            command = exec_form(steps_of(stage, "CMD")[-1])
            (work / "cmd.args").write_text("".join(f"{word}\n" for word in command))
            (work / "final-stage").write_text(stage["name"] + "\n")
    finish()


def build_environment():
    """Return the environment of a rehearsed RUN step: this machine's PATH and HOME (for npm's cache).
    The caller's other variables stay out, since NODE_ENV=production, for one, makes npm ci omit dev dependencies."""
    return {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}


def main(argv):
    commands = {"compose": (check_compose, 1), "dockerfile": (check_dockerfile, 2), "rehearse": (rehearse, 3)}
    if len(argv) < 2 or argv[1] not in commands or len(argv) - 2 != commands[argv[1]][1]:
        raise SystemExit(__doc__)
    function, _ = commands[argv[1]]
    function(*argv[2:])


if __name__ == "__main__":
    main(sys.argv)
