"""Interchange: other argument-mapping formats in and out of claims.yaml.

Import (`argmap import`) reads a foreign file into a `Draft` (points, attacks, supports, with
where each came from), turns it into claims.yaml data (`build`), writes it as safe YAML
(`yamlout`) and checks the result with argmap's own validator before anything is written.
What could not be carried over is kept as `Loss` records, which the CLI prints.

Export writes a valid map in another format: Argdown (`argdown_out`), AIF (`aif`), and the
ICCMA attack-graph formats i23, apx and tgf (`iccma`).
"""
