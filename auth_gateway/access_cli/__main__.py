"""python -m auth_gateway.access_cli: the command as the compose service runs it."""

import sys

from auth_gateway.access_cli.command import main

sys.exit(main())
