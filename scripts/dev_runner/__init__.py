"""The parts of ./scripts/dev (the stack without Docker) that its single file does not hold."""
