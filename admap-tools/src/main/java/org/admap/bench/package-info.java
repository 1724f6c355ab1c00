/**
 * Internal: the pipeline benchmark behind {@code admap bench}, with the DuckDB and numpy reference
 * implementations it checks admap's figures against. Do not use any class in this package; it may
 * change without notice.
 */
package org.admap.bench;
