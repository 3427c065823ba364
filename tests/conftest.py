"""Suite-wide settings. Under CI, hypothesis draws the same examples every run (derandomize), so a
red CI run can be reproduced with `CI=true make test`; locally it keeps exploring new ones."""
import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
