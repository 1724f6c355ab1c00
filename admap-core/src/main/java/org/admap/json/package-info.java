/**
 * How admap reads and writes JSON: the configured Jackson mappers, one per configuration, in
 * {@link org.admap.json.Json}. Depends only on Jackson.
 */
package org.admap.json;
