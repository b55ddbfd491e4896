package dev.parley.broker.nodes;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A Redis pub/sub channel on which each broker node announces what it just did for its own clients, so
 * that the other nodes do the same for theirs (HiveMQ CE nodes share no subscriptions). An announcement
 * is {@code "<origin node id>\n<body>"}: a node hands the bodies of the others' announcements to its
 * receiver, in the order Redis delivers them, and skips its own without reading further.
 *
 * <p>Delivery is at most once: an announcement made while Redis is away, or while a node is not
 * subscribed, does not reach that node; the features say what repairs it (catch-up, the next sync).
 */
public final class NodeChannel implements AutoCloseable {

    private final String channel;
    private final String nodeId;
    private final StatefulRedisConnection<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> subscriptions;
    private final RedisPubSubAdapter<String, String> listener;

    /** Subscribes at once; {@code fromOtherNodes} gets the body of every other node's announcement. */
    public NodeChannel(String channel, String nodeId, StatefulRedisConnection<String, String> redis,
                       StatefulRedisPubSubConnection<String, String> subscriptions, Consumer<String> fromOtherNodes) {
        this.channel = channel;
        this.nodeId = nodeId;
        this.redis = redis;
        this.subscriptions = subscriptions;
        this.listener = new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String announcement) {
                if (!channel.equals(from)) {
                    return;
                }
                int newline = announcement.indexOf('\n');
                boolean ours = newline == nodeId.length() && announcement.startsWith(nodeId);
                if (newline >= 0 && !ours) {
                    fromOtherNodes.accept(announcement.substring(newline + 1));
                }
            }
        };
        subscriptions.addListener(listener);
        subscriptions.sync().subscribe(channel);
    }

    /** Tells the other nodes; completes with the number of subscribers Redis reached (this node included). */
    public CompletionStage<Long> announce(String body) {
        return redis.async().publish(channel, nodeId + "\n" + body);
    }

    @Override
    public void close() {
        subscriptions.removeListener(listener);
    }
}
