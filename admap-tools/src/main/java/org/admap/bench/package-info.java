/**
 * Internal: the pipeline benchmark behind {@code admap bench}, with the DuckDB and numpy reference
 * implementations it checks admap's figures against. Do not use any class in this package; it may
 * change without notice.
 *
 * <p>It lives in admap-tools, apart from the command line: the picocli command
 * ({@code org.admap.cli.BenchCommand}, in admap-cli) parses the options and calls in here, so admap-cli
 * depends on this module and this module needs neither picocli nor admap-cli.
 */
package org.admap.bench;
