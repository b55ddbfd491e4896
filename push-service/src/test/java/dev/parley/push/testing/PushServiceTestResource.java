package dev.parley.push.testing;

import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TestDependencies;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the application under test at the real Redis and Cassandra the test run shares (see
 * {@link TestDependencies}), with a keyspace of its own, migrated as persistence-service would.
 */
public final class PushServiceTestResource implements QuarkusTestResourceLifecycleManager {

    private PushTestSchema schema;

    @Override
    public Map<String, String> start() {
        Endpoint redis = TestDependencies.redis();
        schema = PushTestSchema.create("pushsvc");
        return Map.of(
                "parley.redis.uri", "redis://" + redis,
                "parley.cassandra.contact-points", schema.cassandra.toString(),
                "parley.cassandra.keyspace", schema.keyspace);
    }

    @Override
    public void stop() {
        // The shared Redis and Cassandra belong to the test run; only the keyspace is this application's.
        if (schema != null) {
            schema.close();
        }
    }
}
