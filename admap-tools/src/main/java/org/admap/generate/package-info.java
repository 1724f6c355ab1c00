/**
 * Internal: synthetic preference data of a known shape, for {@code admap generate} and the
 * benchmarks. Do not use any class in this package; it may change without notice.
 *
 * <p>In admap-tools; the picocli command ({@code org.admap.cli.GenerateCommand}, in admap-cli) stays
 * a thin face over {@link org.admap.generate.SyntheticDataset}, so the generator needs no picocli.
 */
package org.admap.generate;
