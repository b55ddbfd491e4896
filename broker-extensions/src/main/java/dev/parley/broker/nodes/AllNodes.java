package dev.parley.broker.nodes;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    private final PublishService publishService;
    private final Supplier<PublishBuilder> publishBuilder;
    private final NodeChannel otherNodes;

    public AllNodes(String nodeId, PublishService publishService, Supplier<PublishBuilder> publishBuilder,
                    StatefulRedisConnection<String, String> redis,
                    StatefulRedisPubSubConnection<String, String> subscriptions) {
        this.publishService = publishService;
        this.publishBuilder = publishBuilder;
        this.otherNodes = new NodeChannel(CHANNEL, nodeId, redis, subscriptions, this::onAnnouncement);
    }

    /**
     * QoS 1, JSON, on {@code topic} (a {@code users/{id}/…} topic) for every device subscribed to it on any
     * node. {@code what} names the publish in the log if it fails.
     */
    public void publish(String topic, byte[] json, Supplier<String> what) {
        publish(List.of(topic), json, what);
    }

    /**
     * The same payload on each of {@code topics}, on every node, with one announcement for all of them
     * (a group's receipt digest goes to every member: one announcement instead of one per member).
     */
    public void publish(List<String> topics, byte[] json, Supplier<String> what) {
        for (String topic : topics) {
            publishHere(topic, json, what);
        }
        otherNodes.announce(String.join("\n", topics) + "\n" + new String(json, StandardCharsets.UTF_8))
                .whenComplete((receivers, error) -> {
                    if (error != null) {
                        LOG.warn("{} not announced to the other broker nodes: {}; devices there see it on their next sync",
                                what.get(), error.toString());
                    }
                });
    }

    /**
     * {@code "topic\n…\ntopic\npayload"} from another node: the topics one per line, then the JSON payload,
     * which has no line break of its own (compact JSON escapes them in strings).
     */
    private void onAnnouncement(String body) {
        int payloadStart = body.lastIndexOf('\n') + 1;
        if (payloadStart == 0) {
            return;
        }
        List<String> topics = List.of(body.substring(0, payloadStart - 1).split("\n"));
        byte[] json = body.substring(payloadStart).getBytes(StandardCharsets.UTF_8);
        for (String topic : topics) {
            if (!topic.startsWith("users/")) {
                LOG.warn("Ignoring an announcement on {} for topic {}: only users/ topics travel between nodes", CHANNEL, topic);
                continue;
            }
            publishHere(topic, json, () -> "A publish on " + topic + " from another node");
        }
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
        otherNodes.close();
    }
}
