package dev.parley.push.jobs;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Bounds the sends under way without blocking a thread: {@link #acquire()} completes when a slot is
 * free. Why it matters beyond load: a send's (message, token) claim is taken only once it holds a
 * slot, and there are no more slots than the Admin SDK has threads, so a claimed send is on the wire,
 * never waiting in the SDK's queue — after a kill -9, the claims left behind are sends that reached
 * FCM, and skipping them on take-over loses nothing.
 */
final class SendSlots {

    private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int free;

    SendSlots(int slots) {
        this.free = slots;
    }

    synchronized CompletionStage<Void> acquire() {
        if (free > 0) {
            free--;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> slot = new CompletableFuture<>();
        waiting.add(slot);
        return slot;
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                free++;
                return;
            }
        }
        // Handed over outside the lock: the next send starts on this thread.
        next.complete(null);
    }
}
