package dev.parley.push.testing;

import dev.parley.devstack.Endpoint;
import dev.parley.devstack.testing.TestDependencies;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the application under test at the real Redis the test run shares (see {@link TestDependencies}). */
public final class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Endpoint redis = TestDependencies.redis();
        return Map.of("parley.redis.uri", "redis://" + redis);
    }

    @Override
    public void stop() {
        // The shared Redis belongs to the test run, not to this application.
    }
}
