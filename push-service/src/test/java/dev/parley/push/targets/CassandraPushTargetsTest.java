package dev.parley.push.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.push.testing.PushTestSchema;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Push targets against a schema that does not have the device-token columns yet. */
@Timeout(180)
class CassandraPushTargetsTest {

    @Test
    void aSchemaWithoutTokenColumnsMeansNoTargetsNotAFailedStartup() throws Exception {
        try (PushTestSchema schema = PushTestSchema.create("pushtargets", false)) {
            CassandraPushTargets targets = new CassandraPushTargets(schema.session, schema.keyspace);

            assertThat(targets.of(UUID.randomUUID()).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEmpty();
            targets.forget(UUID.randomUUID(), "phone", "token").toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
