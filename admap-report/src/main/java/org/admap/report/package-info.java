/**
 * The self-contained {@code report.html} of a run and the data behind it: the map's points
 * (sampled when large), the regions, the flags, the trust of the scores and a prompt's images,
 * drawn as SVG/PNG and written into one page with its assets inlined. It reads a run through
 * {@link org.admap.run.Run} and writes only the report's own files. The viewer
 * ({@code org.admap.web}) serves the same data.
 */
package org.admap.report;
