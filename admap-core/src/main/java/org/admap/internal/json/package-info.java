/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>Do not use these classes outside admap; they are admap's shared Jackson mappers, one per
 * configuration, so that every file is written with the same settings.
 */
package org.admap.internal.json;
