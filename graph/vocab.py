"""The namespaces the graph uses, as rdflib namespaces."""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Namespace

from policykg.graph.iris import PREFIXES

PKG = Namespace(PREFIXES["pkg"])
QB = Namespace(PREFIXES["qb"])
ORG = Namespace(PREFIXES["org"])
PROV = Namespace(PREFIXES["prov"])
SKOS = Namespace(PREFIXES["skos"])
DCTERMS = Namespace(PREFIXES["dcterms"])
DCMITYPE = Namespace(PREFIXES["dcmitype"])
OA = Namespace(PREFIXES["oa"])
OWL = Namespace(PREFIXES["owl"])

__all__ = ["DCMITYPE", "DCTERMS", "OA", "ORG", "OWL", "PKG", "PROV", "QB", "RDF", "RDFS", "SKOS", "XSD"]
