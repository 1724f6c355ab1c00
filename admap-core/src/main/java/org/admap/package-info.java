/**
 * The root of admap, the Alignment Data Map library: only what every stage shares, the build's
 * {@link org.admap.Version} and the {@link org.admap.Progress} callbacks that long stages report to.
 * Nothing here depends on any other admap package; start a library user's tour at {@link org.admap.run.Run}.
 */
package org.admap;
