"""gst-fleet: status, drift and updates across every service made from the template."""

from gov_service_template.fleet.cli import main
from gov_service_template.fleet.update import conflicted_files

__all__ = ["conflicted_files", "main"]
