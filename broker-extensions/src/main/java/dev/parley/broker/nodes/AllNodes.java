package dev.parley.broker.nodes;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the extension's own messages on a user topic (receipts, events) to that user's devices on
 * every broker node, not only this one: HiveMQ CE nodes share no subscriptions, and a user's phone and
 * laptop may be connected to different nodes. This node publishes to its own clients and announces the
 * publish on Redis ({@value #CHANNEL}); every other node publishes it to theirs. If Redis is away the
 * devices on this node still get it; the others read the same state on their next sync.
 *
 * <p>Stored chat messages do not go this way: {@code messages.Fanout} carries them, with the
 * envelope's properties the delivered receipts depend on.
 */
public final class AllNodes implements AutoCloseable {

    static final String CHANNEL = "parley:user-publishes";
    private static final Logger LOG = LoggerFactory.getLogger(AllNodes.class);

    private final String nodeId;
    private final PublishService publishService;
    private final Supplier<PublishBuilder> publishBuilder;
    private final StatefulRedisConnection<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> subscriptions;
    private final RedisPubSubAdapter<String, String> listener;

    public AllNodes(String nodeId, PublishService publishService, Supplier<PublishBuilder> publishBuilder,
                    StatefulRedisConnection<String, String> redis,
                    StatefulRedisPubSubConnection<String, String> subscriptions) {
        this.nodeId = nodeId;
        this.publishService = publishService;
        this.publishBuilder = publishBuilder;
        this.redis = redis;
        this.subscriptions = subscriptions;
        this.listener = new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (CHANNEL.equals(channel)) {
                    onAnnouncement(message);
                }
            }
        };
        subscriptions.addListener(listener);
        subscriptions.sync().subscribe(CHANNEL);
    }

    /**
     * QoS 1, JSON, on {@code topic} (a {@code users/{id}/…} topic) for every device subscribed to it on any
     * node. {@code what} names the publish in the log if it fails.
     */
    public void publish(String topic, byte[] json, Supplier<String> what) {
        publishHere(topic, json, what);
        // "origin \n topic \n payload": a node skips its own announcements without reading further.
        String announcement = nodeId + "\n" + topic + "\n" + new String(json, StandardCharsets.UTF_8);
        redis.async().publish(CHANNEL, announcement).whenComplete((receivers, error) -> {
            if (error != null) {
                LOG.warn("{} not announced to the other broker nodes: {}; devices there see it on their next sync",
                        what.get(), error.toString());
            }
        });
    }

    private void onAnnouncement(String announcement) {
        int originEnd = announcement.indexOf('\n');
        int topicEnd = originEnd < 0 ? -1 : announcement.indexOf('\n', originEnd + 1);
        if (topicEnd < 0 || originEnd == nodeId.length() && announcement.startsWith(nodeId)) {
            return; // our own, or not an announcement
        }
        String topic = announcement.substring(originEnd + 1, topicEnd);
        if (!topic.startsWith("users/")) {
            LOG.warn("Ignoring an announcement on {} for topic {}: only users/ topics travel between nodes", CHANNEL, topic);
            return;
        }
        byte[] json = announcement.substring(topicEnd + 1).getBytes(StandardCharsets.UTF_8);
        publishHere(topic, json, () -> "A publish on " + topic + " from node " + announcement.substring(0, originEnd));
    }

    private void publishHere(String topic, byte[] json, Supplier<String> what) {
        publishService.publish(publishBuilder.get()
                        .topic(topic)
                        .qos(Qos.AT_LEAST_ONCE)
                        .payload(ByteBuffer.wrap(json))
                        .contentType("application/json")
                        .build())
                .whenComplete((v, error) -> {
                    if (error != null) {
                        LOG.warn("{} not published to {}: {}", what.get(), topic, error.toString());
                    }
                });
    }

    @Override
    public void close() {
        subscriptions.removeListener(listener);
    }
}
