"""The inspection and cases the store tests share."""

import pandas as pd

NAME = "wwm-2019"
CASES = pd.DataFrame(
    {
        "case_id": ["C001", "C002", "C003", "C004"],
        "sample": ["case_supervision"] * 4,
        "ldu": ["North", "South", "North", "East"],
        "gender": ["male", "female", "male", "female"],
        "age": [31, 45, 22, 60],
        "mappa_level": [None, "1", None, "2"],
    }
)
