package dev.parley.push.jobs;

import dev.parley.push.sender.PushConfig;
import dev.parley.push.sender.PushSender;
import dev.parley.push.targets.PushTargets;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.messages.Watermarks;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Builds the job consumer and its collaborators; the one wiring, for the application and the tests. */
public final class PushPipeline {

    private PushPipeline() {
    }

    /** A consumer ready to {@link PushJobConsumer#start()}; it owns the threads it needs. */
    public static PushJobConsumer assemble(PushConfig config, String keyspace, RedisClient client,
                                           StatefulRedisConnection<String, String> redis, PushSender sender,
                                           PushTargets targets, UserStore users, GroupStore groups,
                                           Watermarks watermarks,
                                           MeterRegistry registry, Clock clock) {
        PushMetrics metrics = new PushMetrics(registry);
        // Two threads: one blocking take-over round never delays the retries that are due.
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "push-timer");
            thread.setDaemon(true);
            return thread;
        });
        PushConfig.Jobs jobs = config.jobs();
        PushConfig.Retry retry = config.retry();
        Backoff backoff = new Backoff(retry.initialBackoff(), retry.maxBackoff());
        Deliveries deliveries = new Deliveries(redis, sender, targets, metrics, timer, backoff,
                new FcmPause(backoff, timer, metrics, clock), retry.maxAttempts(), jobs.maxAge(), jobs.duplicateWindow(),
                keyspace, clock);
        JobNotifier notifier = new JobNotifier(new OnlineUsers(redis), targets, new CachedNames(id -> users.find(id)
                        .thenApply(user -> user.map(UserRecord::displayName)), CachedNames.USER_TTL, clock),
                new CachedNames(id -> groups.find(id).thenApply(group -> group.map(GroupStore.Group::name)),
                        CachedNames.GROUP_TTL, clock),
                watermarks, deliveries, metrics, config.notification(), jobs.maxAge(), clock);
        return new PushJobConsumer(client, redis, notifier, metrics, timer, keyspace,
                jobs.consumerName().orElseGet(PushPipeline::defaultConsumerName), jobs.batchSize(), jobs.maxInFlight(),
                jobs.claimIdle(), jobs.claimInterval());
    }

    /** Host name and process id: unique per running instance, and recognisable in XINFO CONSUMERS. */
    static String defaultConsumerName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
