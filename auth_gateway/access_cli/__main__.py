"""python -m auth_gateway.access_cli: the command as the compose service runs it."""

import sys

from auth_gateway.access_cli.command import main

if __name__ == "__main__":  # importing the module (the image's import probe does) must not run it
    sys.exit(main())
