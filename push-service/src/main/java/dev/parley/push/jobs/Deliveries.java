package dev.parley.push.jobs;

import dev.parley.protocol.Payloads;
import dev.parley.protocol.push.PushChannels;
import dev.parley.protocol.push.PushJob;
import dev.parley.push.sender.PushNotification;
import dev.parley.push.sender.PushOutcome;
import dev.parley.push.sender.PushSender;
import dev.parley.push.targets.PushTargets;
import io.lettuce.core.SetArgs;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends one message's notification to one device, at most once, retrying what FCM asks to retry.
 *
 * <p>At most once: before sending, the pair (message id, token) is claimed in Redis with
 * {@code SET parley:pushed:{messageId}:{sha256(token)} sending NX} (kept for {@code duplicateWindow};
 * {@code done} after FCM's answer). A pair already claimed is skipped: either it was sent, or its send
 * was under way when its instance died — and then it had reached FCM, because a claim is taken only
 * by a send that holds one of the {@link SendSlots}, never by one waiting in a queue. A retryable
 * failure releases the claim before waiting, so if this instance dies during the wait the instance
 * that takes the job over sends it.
 *
 * <p>Retries: an outage of FCM as a whole (503, 429, unreachable) pauses every send through
 * {@link FcmPause} and uses up no attempt; only a failure of this send (500 INTERNAL) counts against
 * {@code maxAttempts}. A notification still unsent when its message is {@code maxAge} old is
 * dead-lettered, so nothing waits forever.
 *
 * <p>The returned stage completes when the device is handled — sent, skipped as a duplicate, its
 * dead token removed, refused for good, or dead-lettered — and fails only when that could not be
 * decided (Redis or Cassandra unavailable): then the job stays unacknowledged and is taken again.
 */
final class Deliveries {

    private static final Logger LOG = Logger.getLogger(Deliveries.class);
    static final String SENDING = "sending";
    static final String DONE = "done";
    /** The Admin SDK sends on a pool of 100 threads; more sends at once would only queue there. */
    static final int MAX_CONCURRENT_SENDS = 100;

    private final StatefulRedisConnection<String, String> redis;
    private final PushSender sender;
    private final PushTargets targets;
    private final PushMetrics metrics;
    private final ScheduledExecutorService timer;
    private final Backoff backoff;
    private final FcmPause pause;
    private final int maxAttempts;
    private final Duration maxAge;
    private final Duration duplicateWindow;
    private final String deadLetterStream;
    private final Clock clock;
    private final SendSlots slots = new SendSlots(MAX_CONCURRENT_SENDS);

    Deliveries(StatefulRedisConnection<String, String> redis, PushSender sender, PushTargets targets,
               PushMetrics metrics, ScheduledExecutorService timer, Backoff backoff, FcmPause pause, int maxAttempts,
               Duration maxAge, Duration duplicateWindow, String keyspace, Clock clock) {
        this.redis = redis;
        this.sender = sender;
        this.targets = targets;
        this.metrics = metrics;
        this.timer = timer;
        this.backoff = backoff;
        this.pause = pause;
        this.maxAttempts = maxAttempts;
        this.maxAge = maxAge;
        this.duplicateWindow = duplicateWindow;
        this.deadLetterStream = deadLetterStream(keyspace);
        this.clock = clock;
    }

    /** Notifications given up after their last attempt, for an operator to inspect or replay. */
    static String deadLetterStream(String keyspace) {
        return "parley:" + keyspace + ":push-dead";
    }

    static String claimKey(UUID messageId, String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            // The token is a device credential: only its hash goes into Redis keys.
            return "parley:pushed:" + messageId + ":" + HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * One device's notification and how far it got: {@code answered} counts the failures of this send
     * itself, {@code lastFailure} says why it is not sent yet (for the dead letter).
     */
    private record Attempt(PushJob job, UUID recipient, PushTargets.Target target, PushNotification notification,
                           String key, int answered, String lastFailure) {

        Attempt failed(String reason) {
            return new Attempt(job, recipient, target, notification, key, answered + 1, reason);
        }

        Attempt waiting(String reason) {
            return new Attempt(job, recipient, target, notification, key, answered, reason);
        }
    }

    CompletionStage<Void> deliver(PushJob job, UUID recipient, PushTargets.Target target, PushNotification notification) {
        return attempt(new Attempt(job, recipient, target, notification,
                claimKey(job.messageId(), target.token()), 0, null));
    }

    private CompletionStage<Void> attempt(Attempt a) {
        Instant deadline = a.job().sentAt().plus(maxAge);
        if (a.lastFailure() != null && deadline.isBefore(clock.instant())) {
            return expired(a);
        }
        return pause.permit(deadline).thenCompose(ticket -> ticket.isEmpty() ? expired(a) : send(a, ticket.get()));
    }

    private CompletionStage<Void> send(Attempt a, FcmPause.Ticket ticket) {
        return slots.acquire().thenCompose(slot -> {
            CompletionStage<Retry> handled;
            try {
                handled = claimAndSend(a, ticket);
            } catch (RuntimeException e) {
                handled = CompletableFuture.failedFuture(e);
            }
            return handled.whenComplete((v, e) -> {
                slots.release();
                pause.unused(ticket); // no-op when FCM's answer was reported
            });
        }).thenCompose(next -> {
            if (next == null) {
                return done();
            }
            return next.after().isZero() ? attempt(next.attempt()) : later(next.attempt(), next.after());
        });
    }

    private CompletionStage<Void> expired(Attempt a) {
        return deadLetter(a, "not sent within parley.push.jobs.max-age (" + maxAge + ") of the message; last: "
                + a.lastFailure());
    }

    /** What to do after a send that did not settle the device: try again, {@code after} this long. */
    private record Retry(Attempt attempt, Duration after) {
    }

    /** Holds a send slot from the claim to FCM's answer; completes with a retry to schedule, or null when handled. */
    private CompletionStage<Retry> claimAndSend(Attempt a, FcmPause.Ticket ticket) {
        return redis.async().set(a.key(), SENDING, SetArgs.Builder.nx().px(duplicateWindow.toMillis()))
                .thenCompose(claimed -> {
                    if (!"OK".equals(claimed)) {
                        metrics.duplicate();
                        return CompletableFuture.completedFuture(null);
                    }
                    return sender.send(a.notification()).thenCompose(outcome -> settle(a, ticket, outcome));
                });
    }

    private CompletionStage<Retry> settle(Attempt a, FcmPause.Ticket ticket, PushOutcome outcome) {
        if (outcome instanceof PushOutcome.Unavailable unavailable) {
            metrics.unavailable();
            pause.unavailable(ticket, unavailable.reason(), unavailable.retryAfter());
            // Straight back to the pause: it decides when this one goes again.
            return release(a).thenApply(v -> new Retry(a.waiting(unavailable.reason()), Duration.ZERO));
        }
        if (outcome instanceof PushOutcome.Unreachable unreachable) {
            metrics.unreachable();
            pause.unavailable(ticket, "unreachable: " + unreachable.reason(), Optional.empty());
            return release(a).thenApply(v -> new Retry(a.waiting(unreachable.reason()), Duration.ZERO));
        }
        pause.answered(ticket);
        if (outcome instanceof PushOutcome.Accepted) {
            metrics.sent();
            return markDone(a);
        }
        if (outcome instanceof PushOutcome.Logged) {
            metrics.logged();
            return markDone(a);
        }
        if (outcome instanceof PushOutcome.TokenInvalid invalid) {
            LOG.infof("Push token of device %s of user %s is no longer valid (%s): removing it",
                    a.target().deviceId(), a.recipient(), invalid.reason());
            metrics.tokenRemoved();
            return targets.forget(a.recipient(), a.target().deviceId(), a.target().token()).thenCompose(v -> markDone(a));
        }
        PushOutcome.Failed failed = (PushOutcome.Failed) outcome;
        if (!failed.retryable()) {
            LOG.warnf("FCM refused the notification of message %s for device %s of user %s: %s", a.job().messageId(),
                    a.target().deviceId(), a.recipient(), failed.reason());
            metrics.rejected();
            return markDone(a);
        }
        Attempt next = a.failed(failed.reason());
        if (next.answered() >= maxAttempts) {
            return release(a).thenCompose(v -> deadLetter(next, failed.reason())).thenApply(v -> null);
        }
        metrics.retried();
        return release(a).thenApply(v -> new Retry(next, backoff.beforeRetry(next.answered(), failed.retryAfter())));
    }

    private CompletionStage<Void> later(Attempt next, Duration wait) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        timer.schedule(() -> attempt(next).whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(null);
            }
        }), wait.toMillis(), TimeUnit.MILLISECONDS);
        return result;
    }

    private CompletionStage<Retry> markDone(Attempt a) {
        return redis.async().set(a.key(), DONE, SetArgs.Builder.px(duplicateWindow.toMillis())).thenApply(ok -> null);
    }

    private CompletionStage<Void> release(Attempt a) {
        return redis.async().del(a.key()).thenApply(n -> null);
    }

    private CompletionStage<Void> deadLetter(Attempt a, String reason) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put(PushChannels.JOB_FIELD, new String(Payloads.toJson(a.job()), StandardCharsets.UTF_8));
        // The user and device, never the token: a dead letter is replayed by looking the token up again.
        entry.put("recipient", a.recipient().toString());
        entry.put("deviceId", a.target().deviceId());
        entry.put("attempts", Integer.toString(a.answered()));
        entry.put("reason", reason);
        entry.put("at", clock.instant().toString());
        LOG.warnf("Giving up the notification of message %s for device %s of user %s after %d attempts (%s); "
                + "written to %s", a.job().messageId(), a.target().deviceId(), a.recipient(), a.answered(), reason,
                deadLetterStream);
        return redis.async().xadd(deadLetterStream, XAddArgs.Builder.maxlen(PushChannels.MAX_BACKLOG)
                        .approximateTrimming(), entry)
                .thenApply(id -> {
                    metrics.deadLettered();
                    return null;
                });
    }

    private static CompletionStage<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
