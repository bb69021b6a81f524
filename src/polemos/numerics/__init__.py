"""Numerical utilities shared by every layer: random streams, samplers, integrators."""
