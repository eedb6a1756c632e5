"""Tests of the gateway endpoints, one module per route."""
