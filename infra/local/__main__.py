"""``python -m infra.local``: run the whole product on this machine (what ``make dev`` runs)."""

import sys

from infra.local.runner import main

sys.exit(main())
