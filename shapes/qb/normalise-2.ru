# From: W3C, The RDF Data Cube Vocabulary, Recommendation 16 January 2014, §10 "Normalization" (the normalization algorithm)
#   https://www.w3.org/TR/2014/REC-vocab-data-cube-20140116/#normalize-algorithm
# Copyright © 2014 W3C® (MIT, ERCIM, Keio, Beihang). W3C document use rules apply; see README.md.

# Phase 2: Push down attachment levels
# http://www.w3.org/TR/vocab-data-cube/#normalize-algorithm

PREFIX qb:             <http://purl.org/linked-data/cube#>

# Dataset attachments
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp ;
             qb:componentAttachment qb:DataSet .
    ?dataset qb:structure [qb:component ?spec];
             ?comp ?value .
    ?obs     qb:dataSet ?dataset.
};

# Slice attachments
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp;
             qb:componentAttachment qb:Slice .
    ?dataset qb:structure [qb:component ?spec];
             qb:slice ?slice .
    ?slice ?comp ?value;
           qb:observation ?obs .
};

# Dimension values on slices
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp .
    ?comp a  qb:DimensionProperty .
    ?dataset qb:structure [qb:component ?spec];
             qb:slice ?slice .
    ?slice ?comp ?value;
           qb:observation ?obs .
}
