package org.admap;

/**
 * Progress of one long pass (reading files, writing exports), reported by the library and
 * shown by the application, typically as a progress bar on stderr. The library never
 * prints; it only reports.
 */
public interface Progress extends AutoCloseable {

    /** Receives nothing: for library use and non-interactive runs. */
    Progress NONE = new Progress() {
        @Override
        public void advanceTo(long done) {
        }

        @Override
        public void close() {
        }
    };

    /** Starts progress reports for a task. */
    @FunctionalInterface
    interface Factory {
        /** A factory whose tasks report nowhere. */
        Factory NONE = (task, total, unit) -> Progress.NONE;

        /**
         * @param task  what is being done, in a few words ("reading data.jsonl")
         * @param total the amount of work in {@code unit}s, or -1 when unknown
         * @param unit  what is counted: "B" for bytes, or a noun such as "items"
         */
        Progress start(String task, long total, String unit);
    }

    /** Reports that {@code done} units are complete. */
    void advanceTo(long done);

    /** Adds a short status text (counts so far) when the display has room for it. */
    default void status(String text) {
    }

    /** Ends the task's display. */
    @Override
    void close();
}
