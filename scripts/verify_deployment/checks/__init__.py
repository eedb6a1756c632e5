"""One module per check, each with `run(report, deployment)`; ../registry.py runs them in order."""
