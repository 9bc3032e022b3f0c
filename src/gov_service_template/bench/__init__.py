"""Benchmarks for the template, each figure beside a baseline measured in the same run.

Its sections live in this package's modules; the programs it runs elsewhere (under
gunicorn, locust or a service's own Python) are the files in programs/.

    uvx nox -s bench [-- --runs N --seconds S --workers W --profile]
    uvx nox -s bench -- --only fleet --fleet-sizes 10,100 --fleet-jobs 1,2 [--fleet-every-pair]

Machines are noisy and absolute times drift, so each figure is reported with a baseline
measured moments before or after it, and the ratio between them:

    generation     `copier copy` of this template vs an empty template (copier's floor)
    first green    copy, `uv sync` (warm cache) and the unit tests; then e2e with axe
    throughput     the service under gunicorn vs a bare Flask app serving the same start
                   page from a string, same workers, load from locust in a second process
    page weight    bytes a first visit to the start page transfers, and cache headers
    update         `copier update` from the previous release vs an empty template's update
    fleet          `gst-fleet status`, `drift` and `update` over fleets of services, in
                   seconds per service, each larger fleet beside the smallest (growth)

Sections run with `--only` or are left out with `--skip`: generation, service (first
green, throughput and page weight share one rendered service), update and fleet.
Targets are reported, not enforced: a miss is a reason to profile (`--profile`).
"""

from .cli import main

__all__ = ["main"]
