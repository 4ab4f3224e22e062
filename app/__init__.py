"""newsqa application: the answering core, answer models, the CLI and the Streamlit page.

- `settings`   the one `Settings` class (mirrored by `.env.example`)
- `engine`     wires settings to the retrieval library and an answer model
- `answering`  question -> passages -> draft -> checked, cited `AnswerResult`
- `citations`  the citation check applied to every draft
- `models`     answer models, registered by name
- `cli`        `python -m app ...`
- `ui`         the Streamlit chat page
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
