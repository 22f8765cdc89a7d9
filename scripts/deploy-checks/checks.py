#!/usr/bin/env python3
"""The semantic checks of scripts/check-deploy: what the schemas and linters cannot know.

Each subcommand prints one line per problem and exits 1 when there is any (0 otherwise):

  k8s-policy OVERLAY RENDERED.yaml   the issue's Kubernetes requirements on a rendered overlay
  cloudrun-policy FILE...            the Cloud Run specs (rendered with example values)
  compose-policy DIR                 compose/: the stack, the dev overrides, the CI file
  env-names REPO                     every variable the deployment files set is one the code reads
  dashboard-rules DASHBOARD OUT      the dashboard's queries as a rules file, for promtool
  dashboard-structure DASHBOARD      panel ids, targets, data sources, layout
  runbooks RULES DOC                 every alert links to a runbook heading that exists in DOC
  metric-names --scrape F... --rules F... --dashboard F
                                     every metric (and label) the alerts and the dashboard use is
                                     exported by a running service
  per-service-metrics SCRAPE...      each service's scrape has the shared metrics, with its label

Needs PyYAML only (installed with the other tools in scripts/check-deploy's venv).
"""

import json
import re
import sys
from pathlib import Path

import yaml

SERVICES = ("gateway", "rag", "memory", "scheduler")
problems: list[str] = []


def problem(message: str) -> None:
    problems.append(message)


def finish() -> None:
    for line in problems:
        print(f"  - {line}")
    sys.exit(1 if problems else 0)


def load_all(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


# ----------------------------------------------------------------------------------------------
# Kubernetes


def selector_matches(selector: dict | None, labels: dict) -> bool:
    """A LabelSelector (matchLabels + matchExpressions) against a pod's labels."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values") or []
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


def k8s_policy(overlay: str, rendered: str) -> None:
    docs = load_all(rendered)
    by_kind: dict[str, list[dict]] = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], []).append(doc)

    def named(kind: str) -> dict[str, dict]:
        return {doc["metadata"]["name"]: doc for doc in by_kind.get(kind, [])}

    deployments = named("Deployment")
    config_maps = named("ConfigMap")
    secrets = named("Secret")
    service_accounts = named("ServiceAccount")
    # Created outside the manifests in production (docs/operations.md, "Secrets").
    external_secrets = {"apexflow-secrets", "apex-gateway-tls"} if overlay == "prod" else set()

    for service in SERVICES:
        name = f"apex-{service}"
        deployment = deployments.get(name)
        if deployment is None:
            problem(f"{overlay}: no Deployment {name}")
            continue
        pod = deployment["spec"]["template"]
        pod_labels = pod["metadata"].get("labels", {})
        spec = pod["spec"]
        where = f"{overlay}: Deployment {name}"

        if not selector_matches(deployment["spec"]["selector"], pod_labels):
            problem(f"{where}: its selector does not match its pod labels")
        account = spec.get("serviceAccountName")
        if account not in service_accounts:
            problem(f"{where}: ServiceAccount {account!r} is not in the manifests")
        if spec.get("automountServiceAccountToken") is not False:
            problem(f"{where}: automountServiceAccountToken should be false (the services never call the API server)")
        pod_security = spec.get("securityContext") or {}
        grace = spec.get("terminationGracePeriodSeconds", 30)

        for container in spec["containers"]:
            cwhere = f"{where} container {container['name']}"
            security = container.get("securityContext") or {}
            if not (security.get("runAsNonRoot") or pod_security.get("runAsNonRoot")):
                problem(f"{cwhere}: runAsNonRoot is not set")
            if security.get("readOnlyRootFilesystem") is not True:
                problem(f"{cwhere}: readOnlyRootFilesystem is not true")
            if security.get("allowPrivilegeEscalation") is not False:
                problem(f"{cwhere}: allowPrivilegeEscalation is not false")
            if "ALL" not in ((security.get("capabilities") or {}).get("drop") or []):
                problem(f"{cwhere}: capabilities are not all dropped")
            resources = container.get("resources") or {}
            for bound in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    if resource not in (resources.get(bound) or {}):
                        problem(f"{cwhere}: no {bound}.{resource}")
            ports = {port.get("name"): port["containerPort"] for port in container.get("ports", [])}
            for probe_name, path in (("readinessProbe", "/readiness"), ("livenessProbe", "/liveness")):
                probe = container.get(probe_name)
                get = (probe or {}).get("httpGet")
                # httpGet probes are HTTP/1.1: the "HTTP/1.1 side" of the dual-protocol port.
                if not get:
                    problem(f"{cwhere}: no HTTP {probe_name}")
                    continue
                if get.get("path") != path:
                    problem(f"{cwhere}: {probe_name} asks {get.get('path')} instead of {path}")
                if get.get("port") not in ports and get.get("port") not in ports.values():
                    problem(f"{cwhere}: {probe_name} port {get.get('port')} is not a container port")
                if get.get("scheme", "HTTP") != "HTTP":
                    problem(f"{cwhere}: {probe_name} must use plain HTTP/1.1")
            pre_stop = ((container.get("lifecycle") or {}).get("preStop") or {}).get("sleep", {}).get("seconds", 0)
            env_sources = container.get("envFrom") or []
            shutdown_ms = 8000
            for source in env_sources:
                ref = source.get("configMapRef")
                if ref:
                    config = config_maps.get(ref["name"])
                    if config is None:
                        problem(f"{cwhere}: ConfigMap {ref['name']} is not in the manifests")
                    else:
                        shutdown_ms = int(config.get("data", {}).get("SHUTDOWN_GRACE_MS", shutdown_ms))
                ref = source.get("secretRef")
                if ref and ref["name"] not in secrets and ref["name"] not in external_secrets:
                    problem(f"{cwhere}: Secret {ref['name']} is neither in the manifests nor documented as external")
            if grace < pre_stop + shutdown_ms / 1000 + 2:
                problem(f"{cwhere}: terminationGracePeriodSeconds {grace} < preStop {pre_stop} s + SHUTDOWN_GRACE_MS + 2 s")
            check_rotation_refs(cwhere, container.get("env") or [], k8s=True)
            for variable in container.get("env") or []:
                ref = ((variable.get("valueFrom") or {}).get("secretKeyRef")) or {}
                if ref and ref["name"] not in secrets and ref["name"] not in external_secrets:
                    problem(f"{cwhere}: {variable['name']} reads Secret {ref['name']}, which is neither in the manifests nor external")
                if ref and ref["name"] in secrets and not ref.get("optional"):
                    data = secrets[ref["name"]].get("data") or secrets[ref["name"]].get("stringData") or {}
                    if ref["key"] not in data:
                        problem(f"{cwhere}: Secret {ref['name']} has no key {ref['key']}")
                if "value" in variable and re.search(r"PASSWORD|SECRET|API_KEY|TOKEN", variable["name"]):
                    problem(f"{cwhere}: {variable['name']} is a literal value; credentials come from Secrets")

        services = [
            svc for svc in by_kind.get("Service", []) if selector_matches({"matchLabels": svc["spec"].get("selector", {})}, pod_labels)
        ]
        if len(services) != 1:
            problem(f"{where}: {len(services)} Services select its pods (want 1)")
        for svc in services:
            for port in svc["spec"]["ports"]:
                if port.get("appProtocol") != "kubernetes.io/h2c":
                    problem(f"{overlay}: Service {svc['metadata']['name']} port {port.get('name')} lacks appProtocol kubernetes.io/h2c")
        hpas = [hpa for hpa in by_kind.get("HorizontalPodAutoscaler", []) if hpa["spec"]["scaleTargetRef"].get("name") == name]
        if len(hpas) != 1:
            problem(f"{where}: {len(hpas)} HorizontalPodAutoscalers target it (want 1)")
        elif hpas[0]["spec"]["minReplicas"] > hpas[0]["spec"]["maxReplicas"]:
            problem(f"{where}: HPA minReplicas > maxReplicas")
        pdbs = [pdb for pdb in by_kind.get("PodDisruptionBudget", []) if selector_matches(pdb["spec"]["selector"], pod_labels)]
        if len(pdbs) != 1:
            problem(f"{where}: {len(pdbs)} PodDisruptionBudgets cover it (want 1)")

        image = spec["containers"][0]["image"]
        jobs = [
            job for job in by_kind.get("Job", []) if job["spec"]["template"]["spec"]["containers"][0].get("image") == image
        ]
        if not jobs:
            problem(f"{where}: no migration Job runs its image {image}")
        for job in jobs:
            container = job["spec"]["template"]["spec"]["containers"][0]
            if container.get("args") != ["migrate"]:
                problem(f"{overlay}: Job {job['metadata']['name']} does not run `{name} migrate`")
            if job["spec"]["template"]["spec"].get("restartPolicy") not in ("Never", "OnFailure"):
                problem(f"{overlay}: Job {job['metadata']['name']} has no Never/OnFailure restartPolicy")
            if (container.get("securityContext") or {}).get("readOnlyRootFilesystem") is not True:
                problem(f"{overlay}: Job {job['metadata']['name']} is not hardened like its Deployment")

    network_policies(overlay, by_kind, deployments)


def network_policies(overlay: str, by_kind: dict, deployments: dict) -> None:
    """Only the gateway reachable from outside; backends only from the gateway and the scheduler."""
    policies = by_kind.get("NetworkPolicy", [])
    if not any(p["spec"].get("podSelector") == {} and "Ingress" in p["spec"].get("policyTypes", []) for p in policies):
        problem(f"{overlay}: no default-deny ingress NetworkPolicy (podSelector: {{}})")
    pods = {name: d["spec"]["template"]["metadata"].get("labels", {}) for name, d in deployments.items()}
    callers = {pods.get("apex-gateway", {}).get("app.kubernetes.io/name"), pods.get("apex-scheduler", {}).get("app.kubernetes.io/name")}
    for name, labels in pods.items():
        if not name.startswith("apex-"):
            continue
        rules = [
            rule
            for policy in policies
            if "Ingress" in policy["spec"].get("policyTypes", []) and selector_matches(policy["spec"]["podSelector"], labels)
            for rule in policy["spec"].get("ingress") or []
        ]
        open_to_all = [rule for rule in rules if not rule.get("from")]
        if name == "apex-gateway":
            if not open_to_all:
                problem(f"{overlay}: nothing lets traffic reach apex-gateway from outside")
            continue
        if open_to_all:
            problem(f"{overlay}: {name} accepts traffic from anywhere; only the gateway may")
        for rule in rules:
            for peer in rule.get("from") or []:
                if "ipBlock" in peer:
                    problem(f"{overlay}: {name} accepts an ipBlock")
                elif "namespaceSelector" in peer:
                    names = (peer["namespaceSelector"].get("matchLabels") or {}).get("kubernetes.io/metadata.name")
                    if names != "monitoring":
                        problem(f"{overlay}: {name} accepts traffic from other namespaces than monitoring")
                elif "podSelector" in peer:
                    allowed = [
                        pods[other]
                        for other in pods
                        if selector_matches(peer["podSelector"], pods[other])
                    ]
                    strangers = [p.get("app.kubernetes.io/name") for p in allowed if p.get("app.kubernetes.io/name") not in callers]
                    if strangers or not allowed:
                        problem(f"{overlay}: {name} accepts pods other than the gateway and the scheduler: {strangers or 'none matched'}")
                    if peer["podSelector"] == {}:
                        problem(f"{overlay}: {name} accepts every pod of the namespace")


# ----------------------------------------------------------------------------------------------
# Cloud Run


def cloudrun_policy(files: list[str]) -> None:
    seen = set()
    for path in files:
        for doc in load_all(path):
            kind, name = doc["kind"], doc["metadata"]["name"]
            where = f"{Path(path).name}"
            if kind == "Job":
                container = doc["spec"]["template"]["spec"]["template"]["spec"]["containers"][0]
                if container.get("args") != ["migrate"]:
                    problem(f"{where}: the migration job does not run `migrate`")
                check_env(where, container.get("env") or [])
                continue
            service = name.removeprefix("apex-")
            seen.add(service)
            annotations = doc["metadata"].get("annotations") or {}
            ingress = annotations.get("run.googleapis.com/ingress")
            want = "all" if service == "gateway" else "internal"
            if ingress != want:
                problem(f"{where}: ingress is {ingress!r}, want {want!r}")
            public = annotations.get("run.googleapis.com/invoker-iam-disabled") == "true"
            if public != (service == "gateway"):
                problem(f"{where}: only the gateway may skip Cloud Run IAM (invoker-iam-disabled)")
            template = doc["spec"]["template"]
            template_annotations = template["metadata"].get("annotations") or {}
            try:
                low = int(template_annotations["autoscaling.knative.dev/minScale"])
                high = int(template_annotations["autoscaling.knative.dev/maxScale"])
                if not 0 <= low <= high:
                    problem(f"{where}: minScale {low} / maxScale {high}")
            except (KeyError, ValueError):
                problem(f"{where}: minScale and maxScale must be set as numbers")
            for key in ("run.googleapis.com/vpc-access-egress", "run.googleapis.com/network-interfaces"):
                if key not in template_annotations:
                    problem(f"{where}: no {key} (AlloyDB is reached over the VPC)")
            if service == "scheduler" and template_annotations.get("run.googleapis.com/cpu-throttling") != "false":
                problem(f"{where}: the scheduler's ticker and task workers need CPU outside requests (cpu-throttling false)")
            if service != "gateway" and template_annotations.get("run.googleapis.com/vpc-access-egress") not in (
                "all-traffic",
                "private-ranges-only",
            ):
                problem(f"{where}: unknown vpc-access-egress")
            spec = template["spec"]
            if not spec.get("containerConcurrency"):
                problem(f"{where}: containerConcurrency is not set")
            if not str(spec.get("serviceAccountName", "")).startswith(f"apex-{service}@"):
                problem(f"{where}: runs as {spec.get('serviceAccountName')}, want its own service account")
            container = spec["containers"][0]
            ports = container.get("ports") or []
            if len(ports) != 1 or ports[0].get("name") != "h2c":
                problem(f"{where}: the port must be named h2c (end-to-end HTTP/2)")
            limits = (container.get("resources") or {}).get("limits") or {}
            if "cpu" not in limits or "memory" not in limits:
                problem(f"{where}: cpu and memory limits must be set")
            if not (container.get("startupProbe") or {}).get("httpGet"):
                problem(f"{where}: no HTTP startup probe (the canary gate)")
            env = container.get("env") or []
            check_env(where, env)
            check_rotation_refs(where, env, k8s=False)
            names = {variable["name"] for variable in env}
            for required in ("INTERNAL_AUTH_SECRET", "ALLOYDB_HOST", "ALLOYDB_PASSWORD"):
                if required not in names:
                    problem(f"{where}: {required} is not set")
            if "AUTH_DISABLED" in names:
                problem(f"{where}: AUTH_DISABLED must never reach Cloud Run")
    missing = set(SERVICES) - seen
    if missing:
        problem(f"no Cloud Run service spec for {sorted(missing)}")


def check_rotation_refs(where: str, env: list[dict], k8s: bool) -> None:
    """INTERNAL_AUTH_SECRET and the slot for its previous value, both from the same secret store.

    Rotating the key without downtime (docs/operations.md) needs INTERNAL_AUTH_SECRET_PREVIOUS
    on every service: an optional key of the same Kubernetes Secret, or another version of the
    same Secret Manager secret on Cloud Run.
    """
    refs = {
        variable["name"]: (variable.get("valueFrom") or {}).get("secretKeyRef") or {}
        for variable in env
        if variable.get("name", "").startswith("INTERNAL_AUTH_SECRET")
    }
    current, previous = refs.get("INTERNAL_AUTH_SECRET"), refs.get("INTERNAL_AUTH_SECRET_PREVIOUS")
    if not current:
        problem(f"{where}: INTERNAL_AUTH_SECRET does not come from a secret")
        return
    if not previous:
        problem(f"{where}: INTERNAL_AUTH_SECRET_PREVIOUS does not come from a secret (needed to rotate the key)")
        return
    if previous.get("name") != current.get("name"):
        problem(f"{where}: INTERNAL_AUTH_SECRET_PREVIOUS reads {previous.get('name')}, not {current.get('name')}")
    if k8s and current.get("optional"):
        problem(f"{where}: INTERNAL_AUTH_SECRET must not be optional")
    if k8s and previous.get("optional") is not True:
        problem(f"{where}: INTERNAL_AUTH_SECRET_PREVIOUS must be optional (it exists only during a rotation)")


def check_env(where: str, env: list[dict]) -> None:
    for variable in env:
        if "value" in variable and re.search(r"PASSWORD|SECRET|API_KEY|TOKEN", variable["name"]):
            problem(f"{where}: {variable['name']} is a literal value; it must come from Secret Manager")
        ref = (variable.get("valueFrom") or {}).get("secretKeyRef")
        if ref is not None and not (ref.get("name") and ref.get("key")):
            problem(f"{where}: {variable['name']}: a secretKeyRef needs the secret's name and a version as key")


# ----------------------------------------------------------------------------------------------
# docker-compose


def compose_policy(directory: str) -> None:
    base_path = Path(directory, "docker-compose.yml")
    base = yaml.safe_load(base_path.read_text())
    services = base.get("services", {})
    postgres = services.get("postgres")
    if not postgres or not str(postgres.get("image", "")).startswith("pgvector/pgvector:"):
        problem("docker-compose.yml: no postgres service on a pgvector/pgvector image")
    elif "healthcheck" not in postgres:
        problem("docker-compose.yml: postgres has no healthcheck")
    for service in SERVICES:
        spec = services.get(service)
        where = f"docker-compose.yml: {service}"
        if spec is None:
            problem(f"{where}: missing")
            continue
        if "healthcheck" not in spec:
            problem(f"{where}: no healthcheck")
        depends = spec.get("depends_on") or {}
        if not isinstance(depends, dict) or (depends.get("postgres") or {}).get("condition") != "service_healthy":
            problem(f"{where}: must depend on postgres with condition service_healthy")
        for other, condition in depends.items() if isinstance(depends, dict) else []:
            if other not in services:
                problem(f"{where}: depends on unknown service {other}")
            if (condition or {}).get("condition") != "service_healthy":
                problem(f"{where}: depends on {other} without condition service_healthy")
        build = spec.get("build") or {}
        if (build.get("args") or {}).get("SERVICE") != service:
            problem(f"{where}: builds with SERVICE={build.get('args', {}).get('SERVICE')}")
        environment = spec.get("environment") or {}
        for key in ("INTERNAL_AUTH_SECRET", "INTERNAL_AUTH_SECRET_PREVIOUS"):
            if key not in environment:
                problem(f"{where}: {key} is not passed through (rotation: docs/operations.md)")
        if environment.get("AUTH_DISABLED") != "1":
            problem(f"{where}: the compose stack is the development one (AUTH_DISABLED=1)")
        if "@postgres:5432/" not in str(environment.get("DATABASE_URL", "")):
            problem(f"{where}: DATABASE_URL does not point at the postgres service")
        for key, value in environment.items():
            if key.endswith("_URL") and key != "DATABASE_URL":
                match = re.fullmatch(r"http://([a-z-]+):8080", str(value))
                if not match or match.group(1) not in services:
                    problem(f"{where}: {key}={value} is not an h2c URL of a compose service (http://<service>:8080)")
        if spec.get("read_only") is not True or "ALL" not in (spec.get("cap_drop") or []):
            problem(f"{where}: not hardened (read_only, cap_drop ALL)")
    mounted = any("init.sql" in str(volume) for volume in (postgres or {}).get("volumes", []))
    if not mounted:
        problem("docker-compose.yml: the init SQL is not mounted into postgres")
    # kustomize loads files only from inside its overlay, so the k8s dev overlay keeps a copy.
    copy = Path(directory).parent / "k8s" / "overlays" / "dev" / "postgres-init.sql"
    if not copy.exists() or copy.read_text() != Path(directory, "postgres", "init.sql").read_text():
        problem("k8s/overlays/dev/postgres-init.sql differs from compose/postgres/init.sql (keep the copy identical)")
    for service in SERVICES:
        path = Path(directory, f"dev.{service}.yml")
        if not path.exists():
            problem(f"no dev loop file {path.name}")
            continue
        override = yaml.safe_load(path.read_text())
        names = set((override.get("services") or {}).keys())
        if names != {service}:
            problem(f"{path.name}: must override exactly the {service} service (has {sorted(names)})")
            continue
        spec = override["services"][service]
        if "swift" not in " ".join(map(str, spec.get("command") or [])):
            problem(f"{path.name}: does not run {service} from source with swift")
    ci = yaml.safe_load(Path(directory, "ci.yml").read_text())
    if set((ci.get("services") or {}).keys()) != {"postgres"}:
        problem("ci.yml: must hold PostgreSQL only")


# ----------------------------------------------------------------------------------------------
# Environment variable names

# Set for the platform or other containers, not read by ApexFlow's code.
NOT_OURS = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "PGDATA"}
# Documented in ../shared/API.md or ARCHITECTURE.md, set here, not read by the code yet.
PENDING: dict[str, str] = {}


def names_read_by_code(repo: Path) -> set[str]:
    # EnvironmentReader calls (`env.int("PORT", …)`), helpers (`upstream("RAG_URL")`,
    # `sslMode(env, "DB_SSLMODE", …)`) and ConfigurationError("NAME", …): a string literal in
    # UPPER_SNAKE_CASE as the first (or, after `env`, second) argument of a call.
    pattern = re.compile(r'\w\(\s*(?:env\s*,\s*)?"([A-Z][A-Z0-9_]+)"')
    names = set()
    for path in list(repo.glob("Services/*/Sources/**/*.swift")) + list(repo.glob("Shared/**/*.swift")):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def env_names(repo_dir: str) -> None:
    repo = Path(repo_dir)
    read = names_read_by_code(repo)
    if len(read) < 20:
        problem(f"found only {len(read)} variable names in the Swift sources: the pattern is out of date")
    used: dict[str, set[str]] = {}

    def use(name: str, where: str) -> None:
        used.setdefault(name, set()).add(where)

    for path in sorted(repo.glob("compose/*.yml")):
        for service, spec in (yaml.safe_load(path.read_text()).get("services") or {}).items():
            if service not in SERVICES:
                continue
            environment = spec.get("environment") or {}
            for name in environment if isinstance(environment, dict) else [e.split("=")[0] for e in environment]:
                use(name, f"{path.relative_to(repo)}:{service}")
    for path in sorted(repo.glob("k8s/**/*.yaml")):
        if path.name in ("kustomization.yaml",) or "cloudbuild" in path.name:
            continue
        for doc in load_all(str(path)):
            if not isinstance(doc, dict):
                continue
            if doc.get("kind") == "ConfigMap" and str(doc["metadata"].get("name", "")).startswith("apex"):
                for name in doc.get("data") or {}:
                    use(name, str(path.relative_to(repo)))
            for container in find_containers(doc):
                if "apex-" not in str(container.get("image", "")):
                    continue
                for variable in container.get("env") or []:
                    use(variable["name"], str(path.relative_to(repo)))
    for name, places in sorted(used.items()):
        if name in read or name in NOT_OURS:
            continue
        if name in PENDING:
            print(f"  note: {name} ({PENDING[name]}) is set in {', '.join(sorted(places))} but no code reads it yet")
            continue
        problem(f"{name} is set in {', '.join(sorted(places))} but no service reads it (typo?)")


def find_containers(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("containers", "initContainers") and isinstance(value, list):
                yield from (c for c in value if isinstance(c, dict))
            else:
                yield from find_containers(value)
    elif isinstance(node, list):
        for item in node:
            yield from find_containers(item)


# ----------------------------------------------------------------------------------------------
# PromQL: metric names in alerts and the dashboard

GRAFANA_VARIABLES = {
    "$__rate_interval": "5m",
    "$__interval": "1m",
    "$__range": "1h",
    "${service}": "rag",
    "$service": "rag",
}
KEYWORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
    "offset", "inf", "nan", "atan2",
}
LABEL_LIST_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
# Series Prometheus itself produces for every scrape target.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}


def expand_grafana(expr: str) -> str:
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    return expr


def selectors(expr: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(metric name, [(label, operator, value)]) of every vector selector in a PromQL expression."""
    found = []
    i, n = 0, len(expr)
    previous_identifier = None
    skip_label_list = False
    while i < n:
        char = expr[i]
        if char in "\"'`":
            end = i + 1
            while end < n and expr[end] != char:
                end += 2 if expr[end] == "\\" else 1
            i = end + 1
            previous_identifier = None
            continue
        if char == "[":
            i = expr.index("]", i) + 1
            continue
        if char == "{":
            end = i + 1
            while expr[end] != "}":
                if expr[end] in "\"'`":
                    quote = expr[end]
                    end += 1
                    while expr[end] != quote:
                        end += 2 if expr[end] == "\\" else 1
                end += 1
            matchers = parse_matchers(expr[i + 1 : end])
            if previous_identifier is not None:
                found[previous_identifier] = (found[previous_identifier][0], matchers)
            previous_identifier = None
            i = end + 1
            continue
        if char == "(":
            if skip_label_list:
                i = expr.index(")", i) + 1
                skip_label_list = False
                continue
            if previous_identifier is not None:
                found.pop(previous_identifier)  # a function or aggregation, not a metric
            previous_identifier = None
            i += 1
            continue
        if char.isdigit() or (char == "." and i + 1 < n and expr[i + 1].isdigit()):
            # A number or a duration (0.95, 1e3, 5m): never a metric.
            i += 1
            while i < n and (expr[i].isalnum() or expr[i] == "." or (expr[i] in "+-" and expr[i - 1] in "eE")):
                i += 1
            previous_identifier = None
            continue
        match = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr[i:])
        if match:
            word = match.group(0)
            i += len(word)
            if word in LABEL_LIST_KEYWORDS:
                if previous_identifier is not None:
                    found.pop(previous_identifier)  # `sum by (…) (…)`: an aggregation
                skip_label_list = True
                previous_identifier = None
            elif word.lower() in KEYWORDS:
                previous_identifier = None
            else:
                found.append((word, []))
                previous_identifier = len(found) - 1
            continue
        if not char.isspace():
            previous_identifier = None
        i += 1
    return found


def parse_matchers(text: str) -> list[tuple[str, str, str]]:
    matchers = []
    for match in re.finditer(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"', text):
        matchers.append((match.group(1), match.group(2), match.group(3)))
    return matchers


def dashboard_expressions(path: str) -> list[tuple[str, str]]:
    dashboard = json.loads(Path(path).read_text())
    out = []

    def walk(panels):
        for panel in panels:
            for target in panel.get("targets") or []:
                if target.get("expr"):
                    out.append((f"panel {panel.get('title')!r}", target["expr"]))
            walk(panel.get("panels") or [])

    walk(dashboard.get("panels") or [])
    for variable in (dashboard.get("templating") or {}).get("list") or []:
        query = variable.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        if variable.get("type") == "query" and isinstance(query, str):
            inner = re.fullmatch(r"label_values\(\s*([^,]+?)\s*,\s*\w+\s*\)", query)
            if inner:
                out.append((f"variable {variable.get('name')!r}", inner.group(1)))
    return out


def rule_expressions(path: str) -> tuple[list[tuple[str, str]], set[str]]:
    data = yaml.safe_load(Path(path).read_text())
    out, recorded = [], set()
    for group in data.get("groups") or []:
        for rule in group.get("rules") or []:
            label = rule.get("alert") or rule.get("record")
            out.append((f"rule {label}", rule["expr"]))
            if "record" in rule:
                recorded.add(rule["record"])
    return out, recorded


def dashboard_rules(dashboard: str, out: str) -> None:
    rules = [
        {"record": f"dashboard:check:{index}", "expr": expand_grafana(expr)}
        for index, (_, expr) in enumerate(dashboard_expressions(dashboard))
    ]
    if not rules:
        problem("the dashboard has no queries")
    Path(out).write_text(yaml.safe_dump({"groups": [{"name": "dashboard-queries", "rules": rules}]}, sort_keys=False))


def dashboard_structure(path: str) -> None:
    try:
        dashboard = json.loads(Path(path).read_text())
    except json.JSONDecodeError as error:
        problem(f"{path}: not JSON: {error}")
        return
    for key in ("uid", "title", "panels", "schemaVersion"):
        if key not in dashboard:
            problem(f"{path}: no {key}")
    ids = set()
    cells = set()
    for panel in dashboard.get("panels", []):
        pid = panel.get("id")
        if pid in ids:
            problem(f"panel id {pid} is used twice")
        ids.add(pid)
        grid = panel.get("gridPos") or {}
        if grid.get("x", 0) + grid.get("w", 0) > 24:
            problem(f"panel {panel.get('title')!r} is wider than the grid")
        for y in range(grid.get("y", 0), grid.get("y", 0) + grid.get("h", 0)):
            for x in range(grid.get("x", 0), grid.get("x", 0) + grid.get("w", 0)):
                if (x, y) in cells:
                    problem(f"panel {panel.get('title')!r} overlaps another at ({x}, {y})")
                    break
                cells.add((x, y))
        if panel.get("type") == "row":
            continue
        targets = panel.get("targets") or []
        if not targets:
            problem(f"panel {panel.get('title')!r} has no query")
        refs = [t.get("refId") for t in targets]
        if len(refs) != len(set(refs)):
            problem(f"panel {panel.get('title')!r} repeats a refId")
        if (panel.get("datasource") or {}).get("uid") != "${datasource}":
            problem(f"panel {panel.get('title')!r} does not use the $datasource variable")


def parse_exposition(path: str) -> dict[str, dict[str, set[str]]]:
    """metric name -> label name -> values seen, from Prometheus text exposition."""
    series: dict[str, dict[str, set[str]]] = {}
    for line in Path(path).read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        match = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s", line)
        if not match:
            continue
        labels = series.setdefault(match.group(1), {})
        for label, _, value in parse_matchers(match.group(3) or ""):
            labels.setdefault(label, set()).add(value)
    return series


def metric_names(scrapes: list[str], rules: list[str], dashboard: str) -> None:
    exported: dict[str, dict[str, set[str]]] = {}
    for path in scrapes:
        for name, labels in parse_exposition(path).items():
            merged = exported.setdefault(name, {})
            for label, values in labels.items():
                merged.setdefault(label, set()).update(values)
    if not exported:
        problem("the scrapes hold no metrics")
        return
    expressions, recorded = [], set()
    for path in rules:
        found, names = rule_expressions(path)
        expressions += found
        recorded |= names
    expressions += [(where, expand_grafana(expr)) for where, expr in dashboard_expressions(dashboard)]
    checked = set()
    for where, expr in expressions:
        for name, matchers in selectors(expr):
            if name in recorded or name in PROMETHEUS_SERIES:
                continue
            if name not in exported:
                problem(f"{where}: {name} is not exported by any running service")
                continue
            checked.add(name)
            for label, operator, value in matchers:
                if label not in exported[name]:
                    problem(f"{where}: {name} has no label {label!r} (it has {sorted(exported[name])})")
                # Outcome counters are registered with every outcome at start: values are known.
                elif label == "outcome" and operator == "=" and value not in exported[name][label]:
                    problem(f"{where}: {name} never has {label}={value!r} (only {sorted(exported[name][label])})")
    print(f"  {len(checked)} metric names checked against {len(exported)} exported: {', '.join(sorted(checked))}")


# What the alerts need from every service, not only from one of them: a service that stopped
# exporting its request counter would otherwise go unnoticed while another still exports it.
PER_SERVICE_METRICS = (
    "apex_http_requests_total",
    "apex_http_request_duration_seconds_bucket",
    "apex_db_connections_in_use",
    "apex_db_pool_max",
)


def per_service_metrics(scrapes: list[str]) -> None:
    """Each scrape (one per service) has the shared metrics, labelled with its own service."""
    services = set()
    for path in scrapes:
        series = parse_exposition(path)
        own = set()
        for name in PER_SERVICE_METRICS:
            if name not in series:
                problem(f"{path}: {name} is missing")
                continue
            values = series[name].get("service", set())
            if len(values) != 1:
                problem(f"{path}: {name} has service labels {sorted(values)}, want exactly one")
            own |= values
        if len(own) == 1:
            services |= own
        elif own:
            problem(f"{path}: the metrics disagree on the service: {sorted(own)}")
    if len(services) != len(scrapes):
        problem(f"{len(scrapes)} scrapes but {len(services)} distinct services: {sorted(services)}")
    print(f"  note: {', '.join(sorted(services))} each export {', '.join(PER_SERVICE_METRICS)}")


def runbooks(rules_path: str, doc_path: str) -> None:
    """Each alert's runbook_url points at a heading of the operations guide."""
    slugs = set()
    for line in Path(doc_path).read_text().splitlines():
        heading = re.match(r"#+\s+(.*)", line)
        if heading:
            # GitHub's anchors: lower case, punctuation dropped, spaces to dashes.
            slugs.add(re.sub(r"[^a-z0-9 _-]", "", heading.group(1).strip().lower()).replace(" ", "-"))
    data = yaml.safe_load(Path(rules_path).read_text())
    for group in data.get("groups") or []:
        for rule in group.get("rules") or []:
            if "alert" not in rule:
                continue
            url = (rule.get("annotations") or {}).get("runbook_url", "")
            anchor = url.partition("#")[2]
            if not url.startswith(f"{doc_path}#"):
                problem(f"{rule['alert']}: runbook_url {url!r} does not point into {doc_path}")
            if anchor not in slugs:
                problem(f"{rule['alert']}: no heading #{anchor} in {doc_path}")


def main(argv: list[str]) -> None:
    if not argv:
        print(__doc__)
        sys.exit(64)
    command, args = argv[0], argv[1:]
    if command == "k8s-policy":
        k8s_policy(args[0], args[1])
    elif command == "cloudrun-policy":
        cloudrun_policy(args)
    elif command == "compose-policy":
        compose_policy(args[0])
    elif command == "env-names":
        env_names(args[0])
    elif command == "dashboard-rules":
        dashboard_rules(args[0], args[1])
    elif command == "dashboard-structure":
        dashboard_structure(args[0])
    elif command == "runbooks":
        runbooks(args[0], args[1])
    elif command == "per-service-metrics":
        per_service_metrics(args)
    elif command == "metric-names":
        groups: dict[str, list[str]] = {"--scrape": [], "--rules": [], "--dashboard": []}
        current = None
        for arg in args:
            if arg in groups:
                current = arg
            elif current:
                groups[current].append(arg)
        metric_names(groups["--scrape"], groups["--rules"], groups["--dashboard"][0])
    else:
        print(f"unknown check: {command}", file=sys.stderr)
        sys.exit(64)
    finish()


if __name__ == "__main__":
    main(sys.argv[1:])
