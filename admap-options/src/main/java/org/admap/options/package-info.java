/**
 * The options a user types, declared once as picocli mixins: how input is read, which scores the
 * map is built on, how its regions' stability is estimated, the diagnosis thresholds and how pairs
 * are made. The {@code admap} command line and the Spark job ({@code admap-spark}) mix in the same
 * classes, so that an option's name, default, help text and meaning cannot drift between them.
 * Picocli stays out of admap-core: each mixin turns its fields into the core's option records.
 */
package org.admap.options;
