"""The catalog's retrieval engine: what a citizen types, in their own words, to ranked procedures.

One engine serves the catalog search (procedures.selectors) and the assistant app above:
accent folding and typo repair (text), the colloquial lexicon (lexicon), BM25 over the folded
name, results, documents and sector (lexical), sentence embeddings (dense), reciprocal rank fusion
and the level preference (engine). Everything runs in-process, identically on SQLite and
PostgreSQL, with no network. Import from the modules (procedures.retrieval.engine): this
package is imported by procedures.models, so it must stay free of model imports.
"""
