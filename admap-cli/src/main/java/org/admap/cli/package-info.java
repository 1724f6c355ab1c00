/**
 * Internal: the picocli commands of the {@code admap} command line; they parse options, call
 * {@link org.admap.run.Run} and print. Do not use any class in this package; it may change without
 * notice. The options and outputs are the CLI's contract, documented in README.md and {@code --help}.
 */
package org.admap.cli;
