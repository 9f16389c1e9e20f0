"""argmap: claim-and-rebuttal argument maps, from claims.yaml to a diagram and a briefing page.

The flow is load → validate → evaluate → render → write, one module per stage, `cli` on top.
"""

__version__ = "0.1.0"
