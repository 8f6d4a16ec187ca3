DROP TABLE search_docs;
DROP TABLE search_terms;
