"""The authorization server's endpoints; each turns storage results into the RFC's answer."""
