package dev.parley.presence.testing;

import dev.parley.devstack.testing.TestDependencies;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the application under test at the real Redis the test run shares and a keyspace of the shared
 * Cassandra, migrated as persistence-service does it (see {@link TestDependencies}).
 */
public final class StoresTestResource implements QuarkusTestResourceLifecycleManager {

    private TestSchema schema;

    @Override
    public Map<String, String> start() {
        schema = TestSchema.create("bridge");
        return Map.of("parley.redis.uri", "redis://" + TestDependencies.redis(),
                "parley.cassandra.contact-points", TestDependencies.cassandra().toString(),
                "parley.cassandra.keyspace", schema.keyspace);
    }

    @Override
    public void stop() {
        // The shared Redis belongs to the test run; the keyspace is ours.
        if (schema != null) {
            schema.close();
        }
    }
}
