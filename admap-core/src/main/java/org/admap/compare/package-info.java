/**
 * Compares alignment data maps (two runs, or two score sources of one run): rank agreement and
 * how many instructions change region. Reads runs through the store; writes compare.json only
 * through {@link org.admap.run}.
 */
package org.admap.compare;
