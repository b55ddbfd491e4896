package dev.parley.broker.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** Runs every check at once, each bounded by the same timeout, and reports UP only if all are. */
public final class Readiness {

    private final List<ReadinessCheck> checks;
    private final Duration timeout;

    public Readiness(List<ReadinessCheck> checks, Duration timeout) {
        this.checks = List.copyOf(checks);
        this.timeout = timeout;
    }

    /** Completes within the timeout (plus scheduling), never exceptionally. */
    CompletableFuture<HealthReport> check() {
        List<CompletableFuture<HealthReport.Check>> running = checks.stream().map(this::run).toList();
        return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                .thenApply(v -> new HealthReport(running.stream().map(CompletableFuture::join).toList()));
    }

    Duration timeout() {
        return timeout;
    }

    private CompletableFuture<HealthReport.Check> run(ReadinessCheck check) {
        // A copy, so that the timeout below never completes a future the client library owns.
        CompletableFuture<Object> answered = new CompletableFuture<>();
        try {
            check.probe().whenComplete((result, failure) -> {
                if (failure == null) {
                    answered.complete(result);
                } else {
                    answered.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            answered.completeExceptionally(e);
        }
        return answered
                .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((result, failure) -> failure == null
                        ? HealthReport.Check.up(check.name())
                        : HealthReport.Check.down(check.name(), describe(failure)));
    }

    private String describe(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
