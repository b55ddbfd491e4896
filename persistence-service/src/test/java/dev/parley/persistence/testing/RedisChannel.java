package dev.parley.persistence.testing;

import dev.parley.devstack.testing.TestDependencies;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listens on a Redis channel of the test Redis as a broker node would, keeping every message heard (other tests
 * publish on the same channels: look for yours among them).
 */
public final class RedisChannel implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisPubSubConnection<String, String> connection;
    private final List<String> heard = new CopyOnWriteArrayList<>();

    private RedisChannel(RedisClient client, StatefulRedisPubSubConnection<String, String> connection) {
        this.client = client;
        this.connection = connection;
    }

    /** Subscribed when this returns: a message published afterwards is heard. */
    public static RedisChannel listen(String channel) {
        RedisClient client = RedisClient.create("redis://" + TestDependencies.redis());
        RedisChannel listener = new RedisChannel(client, client.connectPubSub());
        listener.connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                listener.heard.add(message);
            }
        });
        listener.connection.sync().subscribe(channel);
        return listener;
    }

    public List<String> heard() {
        return List.copyOf(heard);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
