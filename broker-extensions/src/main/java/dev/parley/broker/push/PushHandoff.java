package dev.parley.broker.push;

import dev.parley.protocol.Payloads;
import dev.parley.protocol.push.PushChannels;
import dev.parley.protocol.push.PushJob;
import dev.parley.store.messages.StoredMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every stored chat message to push-service as a {@link PushJob} on the deployment's push
 * stream (one XADD, asynchronous, after the message is stored and fanned out). Whether a recipient
 * has a device online is push-service's decision, so the broker's per-message cost stays one Redis
 * write however many recipients there are. System messages are not pushed.
 *
 * <p>The send never waits for Redis (chat works while Redis is away), so a job Redis does not take is
 * tried again, after 1, 2, 4 … up to 30 s, for up to {@link #GIVE_UP_AFTER}: a Redis restart or failover
 * loses no notification. Jobs waiting for a retry are held in memory, at most {@link #MAX_WAITING}; a broker
 * that dies meanwhile, or an outage longer than that, loses them (logged with the message's id).
 */
public final class PushHandoff {

    /** A notification later than this is no longer worth sending. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);
    /** Bounds the memory of an outage: about 0.5 KB per job. */
    static final int MAX_WAITING = 20_000;
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(PushHandoff.class);

    private final StatefulRedisConnection<String, String> redis;
    private final String stream;
    private final ScheduledExecutorService retries;
    private final AtomicInteger waiting = new AtomicInteger();
    private final XAddArgs capped = XAddArgs.Builder.maxlen(PushChannels.MAX_BACKLOG).approximateTrimming();

    /** @param retries where the retries wait (they only hand an XADD to Lettuce) */
    public PushHandoff(StatefulRedisConnection<String, String> redis, String keyspace, ScheduledExecutorService retries) {
        this.redis = redis;
        this.stream = PushChannels.jobsStream(keyspace);
        this.retries = retries;
    }

    /** A job on its way to the stream. */
    private record Job(StoredMessage message, int recipients, String json, int attempt, long deadlineNanos) {
        Job next() {
            return new Job(message, recipients, json, attempt + 1, deadlineNanos);
        }
    }

    /** {@code audience}: everyone the message went to; the sender is left out of the job. */
    public void handOff(StoredMessage message, List<UUID> audience) {
        if (message.event() != null) {
            return;
        }
        List<UUID> recipients = audience.stream().filter(u -> !u.equals(message.sender())).toList();
        if (recipients.isEmpty()) {
            return;
        }
        PushJob job = new PushJob(message.messageId(), message.conversationId(), message.seq(), message.sender(),
                message.groupId(), recipients, PushJob.previewOf(message.text()), message.sentAt());
        add(new Job(message, recipients.size(), new String(Payloads.toJson(job), StandardCharsets.UTF_8), 1,
                System.nanoTime() + GIVE_UP_AFTER.toNanos()));
    }

    /** Jobs waiting for a retry (tests, metrics). */
    int waiting() {
        return waiting.get();
    }

    private void add(Job job) {
        redis.async().xadd(stream, capped, Map.of(PushChannels.JOB_FIELD, job.json())).whenComplete((id, error) -> {
            if (error == null) {
                if (job.attempt() > 1) {
                    LOG.info("Push job for message {} (seq {} of {}) queued on attempt {}", job.message().messageId(),
                            job.message().seq(), job.message().conversationId(), job.attempt());
                }
            } else {
                retryLater(job, error);
            }
        });
    }

    private void retryLater(Job job, Throwable error) {
        StoredMessage message = job.message();
        if (System.nanoTime() >= job.deadlineNanos() || waiting.get() >= MAX_WAITING) {
            LOG.warn("Push job for message {} (seq {} of {}) to {} recipients not queued after {} attempts ({}); no"
                            + " notification will be sent for it", message.messageId(), message.seq(),
                    message.conversationId(), job.recipients(), job.attempt(),
                    waiting.get() >= MAX_WAITING ? MAX_WAITING + " jobs already waiting" : "gave up after " + GIVE_UP_AFTER);
            return;
        }
        long delay = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(job.attempt() - 1, 10));
        if (job.attempt() == 1) {
            LOG.warn("Push job for message {} (seq {} of {}) not queued yet ({}); trying again for up to {}",
                    message.messageId(), message.seq(), message.conversationId(), error.toString(), GIVE_UP_AFTER);
        }
        waiting.incrementAndGet();
        retries.schedule(() -> {
            waiting.decrementAndGet();
            add(job.next());
        }, delay, TimeUnit.MILLISECONDS);
    }
}
