/**
 * Index settings and mappings, and the translation of JSON documents into Lucene documents.
 *
 * <p>{@link dev.rankql.engine.mapping.Mappings} parses and renders Elasticsearch's {@code mappings} (field types, the
 * built-in {@link dev.rankql.engine.mapping.Analyzers analyzers}, sub-fields, objects, field aliases, the
 * {@code dynamic} policy);
 * {@link dev.rankql.engine.mapping.IndexSettings} reads the settings rankql honours (BM25 parameters, window limits,
 * refresh interval). {@link dev.rankql.engine.mapping.DocumentParser} turns a source into Lucene fields, inferring
 * mappings for new fields as Elasticsearch's dynamic mapping does, and fails before anything is written.
 */
package dev.rankql.engine.mapping;
