"""Numbers beside the words: 数値目標 and KPIs, their yearly values, achievement and rating.

Kept free of imports so that the model can read the rating scales without a
circle: ``numbers`` (exact values read from text), ``scales`` (rate modes,
rating scales and their presets, the report's settings), ``achievement`` (the
rate and rating of a year), ``fields`` (the one description of a KPI's values),
``storage`` (its tables), ``editing`` (its edits), ``carry`` (the new year) and
``progress`` (the rows every view shows: a KPI's years, its target path, the
report's list of KPIs).
"""
