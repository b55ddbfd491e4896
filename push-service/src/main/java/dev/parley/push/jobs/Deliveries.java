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
    private final int maxAttempts;
    private final Duration duplicateWindow;
    private final String deadLetterStream;
    private final Clock clock;
    private final SendSlots slots = new SendSlots(MAX_CONCURRENT_SENDS);

    Deliveries(StatefulRedisConnection<String, String> redis, PushSender sender, PushTargets targets,
               PushMetrics metrics, ScheduledExecutorService timer, Backoff backoff, int maxAttempts,
               Duration duplicateWindow, String keyspace, Clock clock) {
        this.redis = redis;
        this.sender = sender;
        this.targets = targets;
        this.metrics = metrics;
        this.timer = timer;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
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

    /** One device's notification and how far it got. */
    private record Attempt(PushJob job, UUID recipient, PushTargets.Target target, PushNotification notification,
                           String key, int answered, int tries) {

        Attempt nextAfterAnswer() {
            return new Attempt(job, recipient, target, notification, key, answered + 1, tries + 1);
        }

        Attempt nextWithoutAnswer() {
            return new Attempt(job, recipient, target, notification, key, answered, tries + 1);
        }
    }

    CompletionStage<Void> deliver(PushJob job, UUID recipient, PushTargets.Target target, PushNotification notification) {
        return attempt(new Attempt(job, recipient, target, notification,
                claimKey(job.messageId(), target.token()), 0, 0));
    }

    private CompletionStage<Void> attempt(Attempt a) {
        return slots.acquire().thenCompose(slot -> {
            CompletionStage<Retry> handled;
            try {
                handled = claimAndSend(a);
            } catch (RuntimeException e) {
                handled = CompletableFuture.failedFuture(e);
            }
            return handled.whenComplete((v, e) -> slots.release());
        }).thenCompose(next -> next == null ? done() : later(next.attempt(), next.retryAfter()));
    }

    /** What to do after a send that did not settle the device: try again, after a wait. */
    private record Retry(Attempt attempt, Optional<Duration> retryAfter) {
    }

    /** Holds a send slot from the claim to FCM's answer; completes with a retry to schedule, or null when handled. */
    private CompletionStage<Retry> claimAndSend(Attempt a) {
        return redis.async().set(a.key(), SENDING, SetArgs.Builder.nx().px(duplicateWindow.toMillis()))
                .thenCompose(claimed -> {
                    if (!"OK".equals(claimed)) {
                        metrics.duplicate();
                        return CompletableFuture.completedFuture(null);
                    }
                    return sender.send(a.notification()).thenCompose(outcome -> settle(a, outcome));
                });
    }

    private CompletionStage<Retry> settle(Attempt a, PushOutcome outcome) {
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
        if (outcome instanceof PushOutcome.Failed failed && !failed.retryable()) {
            LOG.warnf("FCM refused the notification of message %s for device %s of user %s: %s", a.job().messageId(),
                    a.target().deviceId(), a.recipient(), failed.reason());
            metrics.rejected();
            return markDone(a);
        }
        if (outcome instanceof PushOutcome.Failed failed) {
            Attempt next = a.nextAfterAnswer();
            if (next.answered() >= maxAttempts) {
                return release(a).thenCompose(v -> deadLetter(next, failed.reason())).thenApply(v -> null);
            }
            metrics.retried();
            return release(a).thenApply(v -> new Retry(next, failed.retryAfter()));
        }
        PushOutcome.Unreachable unreachable = (PushOutcome.Unreachable) outcome;
        metrics.unreachable();
        if (a.tries() == 0) {
            LOG.warnf("FCM unreachable (%s): notification of message %s waits and is retried until FCM answers",
                    unreachable.reason(), a.job().messageId());
        }
        return release(a).thenApply(v -> new Retry(a.nextWithoutAnswer(), Optional.empty()));
    }

    private CompletionStage<Void> later(Attempt next, Optional<Duration> retryAfter) {
        Duration wait = backoff.beforeRetry(next.tries(), retryAfter);
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
