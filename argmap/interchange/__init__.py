"""Interchange: other argument-mapping formats in and out of claims.yaml.

Import (`argmap import`) finds the format (`formats`: the one table of them, `importer`: the
guess), reads the foreign file into a `Draft` (points, attacks, supports, with where each came
from: `argdown_in`, `argdown_json`, `aif` with `aif_speech` for AIF and xAIF, `kialo`), makes
it safe (`clean`: what the format would refuse is dropped or replaced), turns it into
claims.yaml data (`build`), writes it with one quoting writer (`yamlout`) and checks that the
text loads back as that data and passes argmap's own validator before anything is written.
What could not be carried over is kept as `Loss` records (`report`), which the CLI prints.

Export writes a valid map in another format (`exports`: the table): Argdown (`argdown_out`),
AIF and xAIF (`aif_out`), and the ICCMA attack-graph formats i23, apx and tgf (`iccma`).
"""
