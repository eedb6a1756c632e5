"""./scripts/access: who may use the built-in server, without Auth0 (the counterpart of auth0-access).

    status                              mode, open or closed, users, sessions
    user add NAME [--password-stdin]    a new user; the password is typed twice (or read from stdin)
    user block|unblock|remove NAME      block ends every session of the user at once
    user password NAME [--password-stdin]   a new password; the user's sessions end
    sessions [--user NAME]              one line per sign-in
    revoke SESSION | --user NAME | --client CLIENT_ID | --all
    close [--revoke-all]                no new sign-ins or registrations; sessions go on unless --revoke-all
    open

Natively: ./scripts/access ... (reads .env as ./scripts/dev does). Under compose, as the service's
own unprivileged user: docker compose exec auth-gateway python -m auth_gateway.access_cli ...

It changes the state file (OAUTH_STATE_PATH) in SQLite transactions, so it is safe while the gateway
runs, and the gateway applies every change from its next request on. Every change is printed; every
refusal (an unknown name, a name taken, passwords that differ) says why and exits with status 1.

arguments.py reads the command line and the environment, command.py runs one command, users.py,
sessions.py and overview.py are the command groups, output.py is how they print.
"""

from auth_gateway.access_cli.command import main

__all__ = ["main"]
