/**
 * A run and everything done to it: {@link org.admap.run.Run} creates, opens, maps, diagnoses,
 * scores and selects from a run directory, and its JSON writers (summary.json, diagnosis.json,
 * compare.json) are the one place those files are written. The library's entry point; the CLI, the
 * viewer and Spark go through it.
 */
package org.admap.run;
