"""``python -m chalicelib.admin``: see chalicelib/admin/cli.py."""

import sys

from chalicelib.admin.cli import main

sys.exit(main())
