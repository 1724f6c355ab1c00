/**
 * The diagnose stage: flags the instructions whose labels a map suggests are wrong (a
 * {@link org.admap.diagnose.Reason} each), with duplicates, a bias audit and a self-validation by
 * injected flips; writes flags.csv and flips.csv. Reads the map, and the scores from the run store.
 */
package org.admap.diagnose;
