/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>How admap writes text cells into the CSV files it makes (neutralised against spreadsheet
 * formulas, or raw): one rule for map.csv, flags.csv and flips.csv. Depends only on the JDK.
 */
package org.admap.internal.csv;
