/**
 * The data admap is about, as immutable records: an instruction ({@link org.admap.model.Item}) with its
 * responses, turns, images and scores, and a map point with its {@link org.admap.model.Region}.
 * Every stage speaks these types; this package depends on no other admap package.
 */
package org.admap.model;
