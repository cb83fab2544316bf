package dev.reelcars.ingest;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The decoder processes running now. A worker blocked reading a decoder's pipe does not see an interrupt, so a
 * stopping service ends the processes instead; starting and registering a process happen under the same lock as
 * closing, so no process can start unseen between a job being marked running and the stop.
 */
final class Decoders implements AutoCloseable {
    private final Set<Process> running = new HashSet<>();
    private boolean closed;

    /** Starts and registers a decoder, or refuses once closed. */
    synchronized Process start(ProcessBuilder command) throws IOException, InterruptedException {
        if (closed) {
            throw new InterruptedException("ingest is stopping");
        }
        Process process = command.start();
        running.add(process);
        return process;
    }

    synchronized void finished(Process process) {
        running.remove(process);
    }

    /** Ends every running decoder and refuses new ones. */
    @Override
    public synchronized void close() {
        closed = true;
        running.forEach(Process::destroyForcibly);
    }
}
