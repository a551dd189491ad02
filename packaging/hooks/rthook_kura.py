# Runs first in the frozen app: nothing may reach a model hub, and Python writes no
# bytecode caches next to the bundle.
import os
import sys

for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ[_var] = "1"
sys.dont_write_bytecode = True
