package dev.parley.broker.push;

import dev.parley.protocol.Payloads;
import dev.parley.protocol.push.PushChannels;
import dev.parley.protocol.push.PushJob;
import dev.parley.store.messages.StoredMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every stored chat message to push-service as a {@link PushJob} on the deployment's push
 * stream (one XADD, asynchronous, after the message is stored and fanned out). Whether a recipient
 * has a device online is push-service's decision, so the broker's per-message cost stays one Redis
 * write however many recipients there are. System messages are not pushed.
 */
public final class PushHandoff {

    private static final Logger LOG = LoggerFactory.getLogger(PushHandoff.class);

    private final StatefulRedisConnection<String, String> redis;
    private final String stream;
    private final XAddArgs capped = XAddArgs.Builder.maxlen(PushChannels.MAX_BACKLOG).approximateTrimming();

    public PushHandoff(StatefulRedisConnection<String, String> redis, String keyspace) {
        this.redis = redis;
        this.stream = PushChannels.jobsStream(keyspace);
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
        redis.async().xadd(stream, capped, Map.of(PushChannels.JOB_FIELD,
                        new String(Payloads.toJson(job), StandardCharsets.UTF_8)))
                .whenComplete((id, error) -> {
                    if (error != null) {
                        LOG.warn("Push job for message {} (seq {} of {}) to {} recipients not queued: {}; no notification"
                                        + " will be sent for it", message.messageId(), message.seq(),
                                message.conversationId(), recipients.size(), error.toString());
                    }
                });
    }
}
