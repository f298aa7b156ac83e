"""Utlåtandeassistenten: drafts tjänsteutlåtanden for Stockholm's stadsdelsnämnder from precedent.

The pipeline, one subpackage per stage (see docs/architecture.md):
ingest → index → retrieve → draft → review/export → evaluation; ``ui`` and ``cli`` sit thin on top
of :mod:`assistant.services`.
"""

__version__ = "0.1.0"
