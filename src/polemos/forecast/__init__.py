"""The forecast register: sealed forecasts, resolved events, proper scores.

- :mod:`.register`: an append-only, hash-chained JSON-lines register (``forecasts/
  register.jsonl`` in the repository, a copy in the store); :func:`verify` finds any
  entry changed, removed or reordered after it was written.
- :mod:`.freeze`: runs a scenario and seals each question's probability (or, for a
  numeric question, its quantiles) with the scenario's content hash, as_of, the polemos
  version and the time of freezing.
- :mod:`.resolutions`: resolution files (question, yes/no or value, date, sources) and
  reference forecasts (a crowd's, a pundit's).
- :mod:`.scoring`: Brier and log scores, calibration table, skill against baselines,
  CRPS for numeric questions.
"""

from __future__ import annotations

DEFAULT_DIR = "forecasts"
REGISTER_NAME = "register.jsonl"
