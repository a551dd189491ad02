"""The first-run wizard: keyring check, the Owner, the recovery key, a first model and a
ready "General chat" app (``wizard``; the model step in ``model_step``)."""

from desktop.ui.first_run.model_step import DEMO_MODEL_NAME, ModelStep
from desktop.ui.first_run.wizard import Created, FirstRunWizard

__all__ = ["DEMO_MODEL_NAME", "Created", "FirstRunWizard", "ModelStep"]
