import sys

from gov_service_template.fleet.cli import main

sys.exit(main())
