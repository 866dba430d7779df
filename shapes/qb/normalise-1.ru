# From: W3C, The RDF Data Cube Vocabulary, Recommendation 16 January 2014, §10 "Normalization" (the normalization algorithm)
#   https://www.w3.org/TR/2014/REC-vocab-data-cube-20140116/#normalize-algorithm
# Copyright © 2014 W3C® (MIT, ERCIM, Keio, Beihang). W3C document use rules apply; see README.md.

# Phase 1: Type and property closure
# http://www.w3.org/TR/vocab-data-cube/#normalize-algorithm

PREFIX rdf:            <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX qb:             <http://purl.org/linked-data/cube#>

INSERT {
    ?o rdf:type qb:Observation .
} WHERE {
    [] qb:observation ?o .
};

INSERT {
    ?o  rdf:type qb:Observation .
    ?ds rdf:type qb:DataSet .
} WHERE {
    ?o qb:dataSet ?ds .
};

INSERT {
    ?s rdf:type qb:Slice .
} WHERE {
    [] qb:slice ?s.
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:DimensionProperty .
} WHERE {
    ?cs qb:dimension ?p .
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:MeasureProperty .
} WHERE {
    ?cs qb:measure ?p .
};

INSERT {
    ?cs qb:componentProperty ?p .
    ?p  rdf:type qb:AttributeProperty .
} WHERE {
    ?cs qb:attribute ?p .
}
