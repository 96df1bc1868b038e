"""policykg: Chinese policy documents -> an accountability knowledge graph."""

__version__ = "0.1.0"
