"""HTTP helpers every route shares: the client address, no-store answers, the 429, bounded bodies."""
