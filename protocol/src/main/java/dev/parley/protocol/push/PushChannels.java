package dev.parley.protocol.push;

/**
 * The Redis contract between the broker (which appends push jobs) and push-service (which consumes
 * them as one consumer group, so several push-service instances share the work and a crashed one's
 * pending jobs are claimed by another).
 */
public final class PushChannels {

    /** Each entry has one field, {@link #JOB_FIELD}, holding a {@link PushJob} as JSON. */
    public static final String JOB_FIELD = "job";
    public static final String PUSH_SERVICE_GROUP = "push-service";
    /**
     * The stream is capped (approximately) at this many entries (~30 MB), so a push-service that stays
     * away cannot fill Redis; at a sustained 1,000 msg/s that is about 100 s of backlog, beyond which
     * the oldest jobs are dropped (their messages are stored; only the notification is lost).
     */
    public static final long MAX_BACKLOG = 100_000;

    private PushChannels() {
    }

    /** The push jobs of the deployment whose Cassandra keyspace is {@code keyspace}. */
    public static String jobsStream(String keyspace) {
        return "parley:" + keyspace + ":push-jobs";
    }
}
