package org.admap.internal.score.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads an answer's body into memory up to a limit, and no further: a longer body (by its
 * {@code Content-Length}, or as it streams in without one) fails with {@link TooLarge} and
 * the connection is dropped, so a hostile or broken server cannot fill the heap. Any error
 * while the body is read on the client's threads (an {@link OutOfMemoryError} among them)
 * completes the answer with {@link Failed} rather than leaving its caller waiting.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** A body longer than the limit. */
    static final class TooLarge extends IOException {
        private final long limit;

        TooLarge(long limit) {
            super("the answer is larger than " + size(limit));
            this.limit = limit;
        }

        long limit() {
            return limit;
        }
    }

    /** An error (not an I/O failure) while reading the body. */
    static final class Failed extends IOException {
        Failed(Throwable cause) {
            super(String.valueOf(cause), cause);
        }
    }

    private final long limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;
    private long received;

    private CappedBody(long limit) {
        this.limit = limit;
    }

    /** A handler whose bodies are read up to {@code limit} bytes. */
    static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> {
            CappedBody body = new CappedBody(limit);
            long announced = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (announced > limit) {
                body.result.completeExceptionally(new TooLarge(limit));
            }
            return body;
        };
    }

    static String size(long bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MB"
                : String.format(Locale.ROOT, "%,d bytes", bytes);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        try {
            for (ByteBuffer b : items) {
                received += b.remaining();
                if (received > limit) {
                    fail(new TooLarge(limit));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                buffer.write(chunk, 0, chunk.length);
            }
        } catch (Throwable t) { // OutOfMemoryError included: the caller must hear of it
            fail(new Failed(t));
        }
    }

    private void fail(IOException e) {
        result.completeExceptionally(e);
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t instanceof Error ? new Failed(t) : t);
    }

    @Override
    public void onComplete() {
        try {
            result.complete(buffer.toByteArray());
        } catch (Throwable t) {
            result.completeExceptionally(new Failed(t));
        }
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    /** Drops the connection (a deadline passed). */
    void cancel() {
        fail(new IOException("cancelled"));
    }
}
