"""Putting vestlod on the web: files other servers read (w3id.org's .htaccess, nginx), generated
from the settings so they name the same base IRI and routes as the app."""
