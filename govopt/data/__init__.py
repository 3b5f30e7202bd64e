"""Inputs: the dataset contract (schema), reading and checking a dataset folder, scenarios,
uploads, templates and the sample generator. Imports nothing from the layers above."""
