"""What the deploy_target, database and use_notify answers put in a service's deployment:
the Kubernetes manifests each overlay renders, and the workflows that build and apply them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import output_of, render, run

OVERLAYS = ("staging", "production")
LONGEST = {"service_slug": "s" * 63, "package_name": "p" * 63, "organisation": "O" * 120}
VARIANTS: dict[str, dict[str, Any]] = {
    "sqlite-notify": {"database": "sqlite", "use_notify": True},
    "sqlite": {"database": "sqlite", "use_notify": False},
    "postgresql-notify": {"database": "postgresql", "use_notify": True},
    "postgresql": {"database": "postgresql", "use_notify": False},
    "postgresql-notify-longest-names": {"database": "postgresql", "use_notify": True} | LONGEST,
    "sqlite-notify-longest-names": {"database": "sqlite", "use_notify": True} | LONGEST,
    "sqlite-notify-pay-one-login": {
        "database": "sqlite",
        "use_notify": True,
        "payments": "govuk_pay",
        "auth": "one_login",
    },
    "postgresql-pay-longest-names": {
        "database": "postgresql",
        "use_notify": False,
        "payments": "govuk_pay",
    }
    | LONGEST,
}
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        pytest.fail("kubectl (with kustomize) is needed: .ci/run checks for it")
    return path


def kustomize(project: Path, overlay: str) -> list[dict[str, Any]]:
    result = run([kubectl(), "kustomize", f"deploy/overlays/{overlay}"], project)
    assert result.returncode == 0, output_of(result)
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def of_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [obj for obj in objects if obj["kind"] == kind]


def pod_specs(objects: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for obj in objects:
        spec = obj.get("spec", {})
        if obj["kind"] == "CronJob":
            spec = spec["jobTemplate"]["spec"]
        if "template" in spec:
            yield obj["kind"], spec["template"]["spec"]


def workflow(project: Path, name: str) -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((project / ".github" / "workflows" / name).read_text())
    return loaded


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {
        name: render(tmp_path_factory.mktemp(name) / "service", answers, set_up=False)
        for name, answers in VARIANTS.items()
    }


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_container_is_locked_down(variants: dict[str, Path], name: str, overlay: str) -> None:
    objects = kustomize(variants[name], overlay)

    assert {obj["metadata"]["namespace"] for obj in objects} == {
        objects[0]["metadata"]["namespace"]
    }
    assert not of_kind(objects, "Secret"), "secret values never live in the repository"
    for kind, pod in pod_specs(objects):
        assert pod["automountServiceAccountToken"] is False, kind
        assert pod["securityContext"]["runAsNonRoot"] is True, kind
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, kind
        for container in pod.get("initContainers", []) + pod["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, (kind, container["name"])
            assert context["allowPrivilegeEscalation"] is False, (kind, container["name"])
            assert context["capabilities"] == {"drop": ["ALL"]}, (kind, container["name"])
            assert container["resources"]["limits"], (kind, container["name"])
            assert container["image"].endswith("@sha256:" + "0" * 64), "deploy sets the digest"
            mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
            assert "/tmp" in mounts, "somewhere writable for temporary files"  # noqa: S108


@pytest.mark.parametrize("name", list(VARIANTS))
def test_web_pods_are_probed_and_reachable_only_through_the_ingress(
    variants: dict[str, Path], name: str
) -> None:
    objects = kustomize(variants[name], "production")
    (deployment,) = of_kind(objects, "Deployment")
    (web,) = deployment["spec"]["template"]["spec"]["containers"]

    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    (ingress,) = of_kind(objects, "Ingress")
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]
    assert ingress["spec"]["tls"][0]["secretName"]
    (policy,) = of_kind(objects, "NetworkPolicy")
    assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert of_kind(objects, "PodDisruptionBudget")
    (service,) = of_kind(objects, "Service")
    assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]
    # Prometheus scrapes gunicorn's master on a port of its own, which the ingress never
    # routes to and only the monitoring namespace may reach.
    assert {port["name"]: port["containerPort"] for port in web["ports"]} == {
        "http": 8000,
        "metrics": 9102,
    }
    routed = {
        path["backend"]["service"]["port"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert routed == {"http"}
    allowed = {
        port["port"]: rule["from"] for rule in policy["spec"]["ingress"] for port in rule["ports"]
    }
    assert allowed["metrics"] != allowed["http"]


@pytest.mark.parametrize("name", [name for name in VARIANTS if name.startswith("sqlite")])
def test_sqlite_runs_one_pod_that_migrates_its_own_volume(
    variants: dict[str, Path], name: str
) -> None:
    objects = kustomize(variants[name], "production")
    (deployment,) = of_kind(objects, "Deployment")
    spec = deployment["spec"]
    (migrate,) = spec["template"]["spec"]["initContainers"]
    (settings,) = of_kind(objects, "ConfigMap")

    assert spec["replicas"] == 1
    assert spec["strategy"] == {"type": "Recreate"}
    assert migrate["command"][-2:] == ["db", "upgrade"]
    assert {"mountPath": "/data", "name": "data"} in migrate["volumeMounts"]
    assert settings["data"]["DATABASE_URL"] == "sqlite:////data/service.sqlite3"
    assert of_kind(objects, "PersistentVolumeClaim")
    assert not of_kind(objects, "HorizontalPodAutoscaler")
    assert not of_kind(objects, "Job")


@pytest.mark.parametrize("name", [name for name in VARIANTS if name.startswith("postgresql")])
def test_postgresql_scales_and_migrates_in_a_job(variants: dict[str, Path], name: str) -> None:
    objects = kustomize(variants[name], "production")
    (deployment,) = of_kind(objects, "Deployment")
    (autoscaler,) = of_kind(objects, "HorizontalPodAutoscaler")
    (job,) = of_kind(objects, "Job")
    (web,) = deployment["spec"]["template"]["spec"]["containers"]
    secrets = {
        variable["name"]: variable["valueFrom"]["secretKeyRef"]
        for variable in web["env"]
        if "secretKeyRef" in variable.get("valueFrom", {})
    }

    assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
    assert autoscaler["spec"]["minReplicas"] >= 2
    assert autoscaler["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert job["spec"]["template"]["spec"]["containers"][0]["command"][-2:] == ["db", "upgrade"]
    assert set(secrets) >= {"SECRET_KEY", "DATABASE_URL"}
    assert not of_kind(objects, "PersistentVolumeClaim")
    assert len(job["metadata"]["name"]) <= 63


def scheduled_commands(objects: list[dict[str, Any]]) -> dict[tuple[str, ...], dict[str, Any]]:
    """Each CronJob, by the flask command it runs."""
    found = {}
    for cronjob in of_kind(objects, "CronJob"):
        (container,) = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
        found[tuple(container["command"][-2:])] = cronjob
    return found


@pytest.mark.parametrize("name", list(VARIANTS))
def test_emails_payments_and_old_answers_are_settled_on_a_schedule(
    variants: dict[str, Path], name: str
) -> None:
    objects = kustomize(variants[name], "production")
    scheduled = scheduled_commands(objects)

    expected = {("journeys", "purge")}  # answers past their time limit, in every service
    if VARIANTS[name]["use_notify"]:
        expected.add(("emails", "send-pending"))
    if VARIANTS[name].get("payments") == "govuk_pay":
        expected.add(("payments", "reconcile"))
    assert set(scheduled) == expected
    names = {cronjob["metadata"]["name"] for cronjob in scheduled.values()}
    assert len(names) == len(scheduled), "each CronJob has its own name"
    for cronjob in scheduled.values():
        assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
        assert len(cronjob["metadata"]["name"]) <= 52, "Kubernetes' limit for CronJob names"
        assert len(cronjob["metadata"]["namespace"]) <= 63


@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_container_running_the_service_gets_every_setting(
    variants: dict[str, Path], name: str
) -> None:
    """The service refuses to start without any of its settings, so a migration or a
    scheduled job given fewer secrets than the web pods would fail in production."""
    objects = kustomize(variants[name], "production")
    (deployment,) = of_kind(objects, "Deployment")
    (web,) = [c for c in deployment["spec"]["template"]["spec"]["containers"] if c["name"] == "web"]
    answers = VARIANTS[name]
    needed = {"SECRET_KEY"}
    needed |= {"DATABASE_URL"} if answers["database"] == "postgresql" else set()
    needed |= {"NOTIFY_API_KEY"} if answers["use_notify"] else set()
    needed |= {"ONE_LOGIN_PRIVATE_KEY"} if answers.get("auth") == "one_login" else set()
    needed |= {"PAY_API_KEY"} if answers.get("payments") == "govuk_pay" else set()

    for kind, pod in pod_specs(objects):
        for container in pod.get("initContainers", []) + pod["containers"]:
            secrets = {
                variable["name"]
                for variable in container["env"]
                if "secretKeyRef" in variable.get("valueFrom", {})
            }
            assert secrets == needed, (kind, container["name"])
            assert container["envFrom"] == web["envFrom"], (kind, container["name"])


@pytest.mark.parametrize("name", ["sqlite-notify", "postgresql"])
def test_every_action_is_pinned_and_permissions_are_read_only(
    variants: dict[str, Path], name: str
) -> None:
    workflows = sorted((variants[name] / ".github" / "workflows").glob("*.yml"))
    assert {path.name for path in workflows} == {"ci.yml", "deploy.yml", "deploy-environment.yml"}

    for path in workflows:
        text = path.read_text()
        assert workflow(variants[name], path.name)["permissions"] == {"contents": "read"}
        for uses in re.findall(r"uses: (.+)", text):
            assert uses.startswith("./.github/workflows/") or PINNED.match(uses), uses


def test_postgresql_ci_runs_the_concurrency_session_against_a_real_database(
    variants: dict[str, Path],
) -> None:
    jobs = workflow(variants["postgresql"], "ci.yml")["jobs"]
    assert "concurrency" not in workflow(variants["sqlite"], "ci.yml")["jobs"]

    job = jobs["concurrency"]
    assert job["services"]["postgres"]["image"].startswith("postgres:")
    assert job["env"]["TEST_DATABASE_URL"].startswith("postgresql://")
    assert job["steps"][-1]["run"] == "uv run nox -s concurrency"


@pytest.mark.parametrize("name", ["sqlite-notify", "postgresql-notify-longest-names"])
def test_deploy_renders_each_overlay_with_the_built_image(
    variants: dict[str, Path], name: str, tmp_path: Path
) -> None:
    """Run the deploy workflow's own rendering step, with a stand-in cluster context."""
    project = variants[name]
    steps = workflow(project, "deploy-environment.yml")["jobs"]["deploy"]["steps"]
    (render_step,) = [step for step in steps if step.get("name", "").startswith("Render")]
    image = "ghcr.io/example/service@sha256:" + "ab" * 32
    kubeconfig = tmp_path / "kubeconfig"
    for command in (
        ["config", "set-cluster", "stand-in", "--server=https://127.0.0.1:1"],
        ["config", "set-context", "deploy", "--cluster=stand-in"],
        ["config", "use-context", "deploy"],
    ):
        subprocess.run([kubectl(), *command], env={"KUBECONFIG": str(kubeconfig)}, check=True)

    for overlay in OVERLAYS:
        github_env = tmp_path / f"github-env-{overlay}"
        env = os.environ | {
            "OVERLAY": f"deploy/overlays/{overlay}",
            "IMAGE": image,
            "RUNNER_TEMP": str(tmp_path),
            "GITHUB_ENV": str(github_env),
            "KUBECONFIG": str(kubeconfig),
        }
        result = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", render_step["run"]],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

        assert result.returncode == 0, result.stdout + result.stderr
        release = tmp_path / "release.yaml"
        assert f"RELEASE={release}" in github_env.read_text()
        objects = [doc for doc in yaml.safe_load_all(release.read_text()) if doc]
        images = {
            container["image"]
            for _, pod in pod_specs(objects)
            for container in pod.get("initContainers", []) + pod["containers"]
        }
        assert images == {image}
        namespace = subprocess.run(
            [kubectl(), "config", "view", "--minify", "-o", "jsonpath={..namespace}"],
            env={"KUBECONFIG": str(kubeconfig)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert namespace == objects[0]["metadata"]["namespace"]


def test_no_deploy_target_leaves_deployment_out(tmp_path: Path) -> None:
    project = render(tmp_path / "service", {"deploy_target": "none"}, set_up=False)

    for path in (
        "deploy",
        "Dockerfile",
        ".dockerignore",
        ".checkov.yaml",
        ".github/zizmor.yml",
        ".github/workflows/deploy.yml",
        ".github/workflows/deploy-environment.yml",
    ):
        assert not (project / path).exists(), path
    noxfile = (project / "noxfile.py").read_text()
    assert "def manifests" not in noxfile
    assert "def docker_lint" not in noxfile
    assert "def workflows" in noxfile
    assert workflow(project, "ci.yml")[True]["push"] == {"branches": ["main"]}
    assert (project / "gunicorn.conf.py").exists(), "any platform runs gunicorn"
