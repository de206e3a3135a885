"""Trained scikit-learn models: the claim detector and the stance model, their datasets,
training (``auditor train``), evaluation (``auditor eval``) and safe storage (skops)."""
