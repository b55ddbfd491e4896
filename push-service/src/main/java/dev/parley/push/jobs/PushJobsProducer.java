package dev.parley.push.jobs;

import dev.parley.push.cassandra.CassandraConfig;
import dev.parley.push.sender.PushConfig;
import dev.parley.push.sender.PushSender;
import dev.parley.push.targets.PushTargets;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.messages.Watermarks;
import dev.parley.store.users.UserStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Starts consuming push jobs when the service starts, and stops before it shuts down. */
@Singleton
final class PushJobsProducer {

    @Produces
    @Singleton
    @Startup
    PushJobConsumer consumer(PushConfig config, CassandraConfig cassandra, RedisClient client,
                             StatefulRedisConnection<String, String> redis, PushSender sender, PushTargets targets,
                             UserStore users, GroupStore groups, Watermarks watermarks,
                             MeterRegistry registry) {
        PushJobConsumer consumer = PushPipeline.assemble(config, cassandra.keyspace(), client, redis, sender, targets,
                users, groups, watermarks, registry, Clock.systemUTC());
        consumer.start();
        return consumer;
    }

    void stop(@Disposes PushJobConsumer consumer) {
        consumer.close();
    }
}
