"""Records -> RDF (ontology/qb.ttl), SPARQL accountability queries and NetworkX analyses."""
