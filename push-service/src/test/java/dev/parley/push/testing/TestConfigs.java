package dev.parley.push.testing;

import dev.parley.push.sender.PushConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.Map;

/** The service's real configuration mapping, with its documented defaults, for tests that build collaborators by hand. */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** {@link PushConfig} with the defaults, overridden by {@code settings} (full keys, e.g. parley.push.retry.max-attempts). */
    public static PushConfig push(Map<String, String> settings) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(PushConfig.class)
                // Quarkus' own converter, so durations read as in application.properties ("100ms", "60s").
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(settings, "test", 500))
                .build();
        return config.getConfigMapping(PushConfig.class);
    }
}
