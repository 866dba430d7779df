"""vestlod: the annex to the West Danish cooperation agreement as linked open data."""

__version__ = "0.1.0"
