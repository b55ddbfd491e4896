package dev.parley.broker.messages;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs asynchronous steps one after another, never two at once, without holding a thread while a step
 * waits for I/O. Each conversation has one, so its sequence numbers are assigned in a single order;
 * different conversations proceed in parallel.
 */
final class SerialLane {

    private final Executor executor;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private boolean running;
    private boolean retired;

    SerialLane(Executor executor) {
        this.executor = executor;
    }

    /**
     * Queues a step; empty when the lane was retired (the caller then takes a fresh lane), so that no
     * step ever runs on a lane its owner has dropped.
     */
    <T> java.util.Optional<CompletionStage<T>> submit(Supplier<? extends CompletionStage<T>> step) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable task = () -> {
            CompletionStage<T> started;
            try {
                started = step.get();
            } catch (RuntimeException e) {
                started = CompletableFuture.failedFuture(e);
            }
            started.whenComplete((value, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
                next();
            });
        };
        boolean start;
        synchronized (this) {
            if (retired) {
                return java.util.Optional.empty();
            }
            waiting.add(task);
            start = !running;
            running = true;
        }
        if (start) {
            next();
        }
        return java.util.Optional.of(result);
    }

    /** Retires the lane if nothing runs or waits on it; a retired lane takes no more steps. */
    synchronized boolean retireIfIdle() {
        if (!running && waiting.isEmpty()) {
            retired = true;
        }
        return retired;
    }

    private void next() {
        Runnable task;
        synchronized (this) {
            task = waiting.poll();
            if (task == null) {
                running = false;
                return;
            }
        }
        // Through the executor, so that a long queue of steps that complete at once cannot grow the stack.
        executor.execute(task);
    }
}
