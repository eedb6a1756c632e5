"""The command line of ./scripts/verify-deployment: arguments, the checks, the closing line and the
exit status (0 all passed, 1 a check failed, 2 the command line or the credentials file is unusable).

Everything the user gave is checked before the first request, so a typo costs no test registration.
"""

from __future__ import annotations

import argparse
import sys

from .deployment import Deployment, base_url, read_client_credentials
from .registry import run_checks
from .report import Report

DESCRIPTION = "Before connecting ChatGPT or Claude: check, from outside, everything they check first."


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./scripts/verify-deployment", description=DESCRIPTION)
    parser.add_argument("url", help="your server, e.g. https://your-domain.ddns.net")
    parser.add_argument(
        "--client-credentials-from",
        metavar="FILE",
        help="a .env with OAUTH_CLIENT_ID/OAUTH_CLIENT_SECRET: run one authorization code round trip",
    )
    parser.add_argument(
        "--token",
        metavar="ACCESS_TOKEN",
        help="an access token a client received: tools/list with it, and its iss/aud/exp checked",
    )
    parser.add_argument(
        "--skip-dcr",
        action="store_true",
        help="no test registration (each run otherwise registers one client, as ChatGPT does)",
    )
    return parser.parse_args(argv[1:])


def main(argv: list[str]) -> int:
    options = arguments(argv)
    try:
        base = base_url(options.url)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    deployment = Deployment(
        base,
        credentials_file=options.client_credentials_from or None,
        token=options.token.strip() if options.token else None,
        skip_dcr=options.skip_dcr,
    )
    if deployment.credentials_file:
        try:
            deployment.credentials = read_client_credentials(deployment.credentials_file)
        except (OSError, UnicodeDecodeError) as error:
            print(f"error: cannot read {deployment.credentials_file}: {error}", file=sys.stderr)
            return 2
    report = Report()
    run_checks(report, deployment)
    return report.conclude(base, deployment.public)


if __name__ == "__main__":  # run by ./scripts/verify-deployment
    sys.exit(main(sys.argv))
