/**
 * Local sentence embeddings (an ONNX sentence encoder run in-process) for the reference scorer,
 * so that similarity scoring needs no embedding server; see {@link org.admap.score.reference.Embedder}.
 */
package org.admap.embed;
