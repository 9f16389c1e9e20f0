"""Outputs drawn from an evaluated map: the diagram, the brief."""
