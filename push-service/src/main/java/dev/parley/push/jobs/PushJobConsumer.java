package dev.parley.push.jobs;

import dev.parley.protocol.Payloads;
import dev.parley.protocol.push.PushChannels;
import dev.parley.protocol.push.PushJob;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reads the push job stream as one consumer of the group {@value PushChannels#PUSH_SERVICE_GROUP} and
 * acknowledges a job (XACK) only when every recipient is handled. Nothing is lost when an instance
 * dies between reading and acknowledging: its jobs stay pending in the group, and every instance
 * periodically takes over jobs pending longer than {@code claimIdle} (XAUTOCLAIM) — while it keeps the
 * idle time of its own jobs in progress short (XCLAIM JUSTID), so a slow retry is not taken away
 * from a live instance. Sending twice is prevented per (message, token) by {@link Deliveries}.
 *
 * <p>Blocking reads run on a connection of their own, one thread; everything else is asynchronous on
 * the service's shared connection. At most {@code maxInFlight} jobs are worked on at once. The
 * consumer owns {@code timer} (retries and take-overs) and stops it on {@link #close()}.
 */
public final class PushJobConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PushJobConsumer.class);
    /** How long one XREADGROUP waits for new jobs; bounds how long a stop takes. */
    private static final Duration BLOCK = Duration.ofSeconds(1);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> redis;
    private final JobNotifier notifier;
    private final PushMetrics metrics;
    private final ScheduledExecutorService timer;
    private final String stream;
    private final Consumer<String> consumer;
    private final int batchSize;
    private final Duration claimIdle;
    private final Duration claimInterval;
    private final Semaphore slots;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private StatefulRedisConnection<String, String> reader;
    private Thread readerThread;

    PushJobConsumer(RedisClient client, StatefulRedisConnection<String, String> redis, JobNotifier notifier,
                    PushMetrics metrics, ScheduledExecutorService timer, String keyspace, String consumerName,
                    int batchSize, int maxInFlight, Duration claimIdle, Duration claimInterval) {
        this.client = client;
        this.redis = redis;
        this.notifier = notifier;
        this.metrics = metrics;
        this.timer = timer;
        this.stream = PushChannels.jobsStream(keyspace);
        this.consumer = Consumer.from(PushChannels.PUSH_SERVICE_GROUP, consumerName);
        this.batchSize = batchSize;
        this.claimIdle = claimIdle;
        this.claimInterval = claimInterval;
        this.slots = new Semaphore(maxInFlight);
    }

    public String consumerName() {
        return consumer.getName();
    }

    /** Joins the consumer group (creating it and the stream if needed) and starts reading. */
    public synchronized void start() {
        createGroup();
        reader = client.connect();
        running = true;
        readerThread = new Thread(this::readLoop, "push-jobs-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        timer.scheduleWithFixedDelay(this::reclaimSafely, 0, claimInterval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("Consuming push jobs from %s as %s of group %s", stream, consumer.getName(), consumer.getGroup());
    }

    private void createGroup() {
        try {
            // From the stream's beginning: jobs queued before the first push-service ever started are
            // still sent (maxAge drops the ones that are too old to matter).
            redis.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), PushChannels.PUSH_SERVICE_GROUP,
                    XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException exists) {
            // BUSYGROUP: another instance (or an earlier start) created it.
        }
    }

    private void readLoop() {
        long failures = 0;
        while (running) {
            int taken = 0;
            try {
                if (!slots.tryAcquire(BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                taken = 1;
                while (taken < batchSize && slots.tryAcquire()) {
                    taken++;
                }
                List<StreamMessage<String, String>> entries = reader.sync().xreadgroup(consumer,
                        XReadArgs.Builder.block(BLOCK).count(taken), XReadArgs.StreamOffset.lastConsumed(stream));
                int used = entries == null ? 0 : entries.size();
                slots.release(taken - used);
                taken = 0;
                if (entries != null) {
                    entries.forEach(this::process);
                }
                failures = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                slots.release(taken);
                if (!running) {
                    return;
                }
                if (failures++ % 30 == 0) {
                    LOG.warnf("Reading push jobs from %s failed (%s); retrying every second", stream, e.toString());
                }
                try {
                    Thread.sleep(1000); // Redis is away: Lettuce reconnects meanwhile
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Works on one entry; it holds one of the {@code slots} until it is handled or given back. */
    private void process(StreamMessage<String, String> entry) {
        String id = entry.getId();
        if (!inFlight.add(id)) {
            slots.release(); // already being worked on here (taken over from ourselves)
            return;
        }
        String json = entry.getBody() == null ? null : entry.getBody().get(PushChannels.JOB_FIELD);
        PushJob job;
        try {
            job = Payloads.fromJson(json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8), PushJob.class);
        } catch (RuntimeException malformed) {
            // Retrying cannot repair it (or it was trimmed from the stream): acknowledge and move on.
            LOG.warnf("Push job %s in %s is unreadable, dropped: %s", id, stream, malformed.getMessage());
            metrics.jobMalformed();
            finish(id, true);
            return;
        }
        try {
            notifier.handle(job).whenComplete((v, failure) -> {
                if (failure != null) {
                    LOG.warnf("Push job %s (message %s) not finished: %s; it stays pending and is taken again "
                            + "after %s", id, job.messageId(), failure.toString(), claimIdle);
                } else {
                    metrics.jobDone();
                }
                finish(id, failure == null);
            });
        } catch (RuntimeException e) {
            LOG.warnf("Push job %s (message %s) not started: %s", id, job.messageId(), e.toString());
            finish(id, false);
        }
    }

    private void finish(String id, boolean acknowledge) {
        if (!acknowledge) {
            inFlight.remove(id);
            slots.release();
            return;
        }
        redis.async().xack(stream, PushChannels.PUSH_SERVICE_GROUP, id).whenComplete((n, failure) -> {
            if (failure != null) {
                // Taken again later; every device already notified is skipped then.
                LOG.warnf("Acknowledging push job %s failed (%s)", id, failure.toString());
            }
            inFlight.remove(id);
            slots.release();
        });
    }

    private void reclaimSafely() {
        try {
            reclaim();
        } catch (RuntimeException e) {
            LOG.warnf("Taking over idle push jobs failed (%s); trying again in %s", e.toString(), claimInterval);
        }
    }

    /**
     * Keeps this instance's jobs in progress from looking abandoned, then takes over jobs idle longer
     * than {@code claimIdle}: those of a dead instance, and this instance's own that failed.
     */
    private void reclaim() {
        if (!running) {
            return;
        }
        String[] mine = inFlight.toArray(String[]::new);
        if (mine.length > 0) {
            // JUSTID: resets the idle time without counting a delivery.
            redis.sync().xclaim(stream, consumer, XClaimArgs.Builder.justid().minIdleTime(0), mine);
        }
        int free = Math.min(batchSize, slots.availablePermits());
        if (free == 0) {
            return;
        }
        // JUSTID, then the entries one by one: Redis 6.2 claims an entry the capped stream has already
        // trimmed but returns it as nil, which Lettuce leaves out of the messages — it would sit in
        // the group forever. Its id comes back with JUSTID, and an empty XRANGE shows it is gone.
        ClaimedMessages<String, String> claimed = redis.sync().xautoclaim(stream,
                XAutoClaimArgs.Builder.<String>justid(consumer, claimIdle, "0-0").count(free));
        for (StreamMessage<String, String> claimedId : claimed.getMessages()) {
            String id = claimedId.getId();
            if (inFlight.contains(id)) {
                continue;
            }
            List<StreamMessage<String, String>> entry = redis.sync().xrange(stream, Range.create(id, id));
            if (entry.isEmpty()) {
                LOG.warnf("Push job %s was trimmed from %s while pending (backlog beyond %d): dropped, no push sent",
                        id, stream, PushChannels.MAX_BACKLOG);
                redis.sync().xack(stream, PushChannels.PUSH_SERVICE_GROUP, id);
                metrics.jobTrimmed();
                continue;
            }
            if (!slots.tryAcquire()) {
                continue; // ours now; taken up again after claimIdle
            }
            metrics.jobReclaimed();
            LOG.infof("Took over push job %s, idle for over %s", id, claimIdle);
            process(entry.get(0));
        }
    }

    /** Stops reading; jobs in progress stay pending in the group and are finished by whoever takes them. */
    @Override
    public synchronized void close() {
        running = false;
        if (readerThread != null) {
            try {
                readerThread.join(BLOCK.multipliedBy(3).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (reader != null) {
            reader.close();
        }
        timer.shutdownNow();
    }
}
