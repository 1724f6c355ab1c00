/**
 * Internal: not part of admap's API; may change without notice.
 *
 * <p>Reading the images of vision-language prompts safely: where an image reference points
 * ({@link org.admap.internal.image.ImageSources}), and its bytes read, size-checked and typed from
 * their magic numbers, never from a file name ({@link org.admap.internal.image.ImageFiles}), for the
 * judge's {@code image_url} parts, the reference writer and the report's data URLs.
 */
package org.admap.internal.image;
