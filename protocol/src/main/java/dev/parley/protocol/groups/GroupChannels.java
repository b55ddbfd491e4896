package dev.parley.protocol.groups;

import java.util.UUID;

/**
 * The Redis contract between persistence-service (which changes rosters) and the broker (which enforces
 * them on every group message).
 *
 * <p>After a roster change is stored, and before the REST call returns, persistence-service raises
 * {@link #rosterVersionKey} to the new roster version with {@link #RAISE_ROSTER_VERSION} (never lowers
 * it: changes may finish out of order). The broker reads that key for every group message and reloads
 * its cached roster from Cassandra when the key is ahead of the cache, so a member who left gets no
 * message sequenced after the leave returned, on any node. Then persistence-service appends the
 * {@link GroupChange} to {@link #changesStream} of the deployment's keyspace, which the broker nodes
 * consume as one consumer group.
 */
public final class GroupChannels {

    public static final String CHANGE_FIELD = "change";
    /**
     * The changes stream is capped (approximately) at this many entries: the broker acknowledges each
     * within moments, so only a broker fleet that stays down longer than this many changes loses some
     * system messages (the roster itself is in Cassandra and unaffected).
     */
    public static final long MAX_CHANGES = 100_000;
    /** The consumer group the broker nodes read {@link #changesStream} as. */
    public static final String BROKERS_GROUP = "parley-brokers";

    /**
     * Sets KEYS[1] to ARGV[1] unless it already holds a larger number; returns the value it holds after.
     * Run with EVAL (or EVALSHA).
     */
    public static final String RAISE_ROSTER_VERSION = """
            local current = tonumber(redis.call('GET', KEYS[1]) or '0')
            local proposed = tonumber(ARGV[1])
            if proposed > current then
              redis.call('SET', KEYS[1], ARGV[1])
              return proposed
            end
            return current
            """;

    private GroupChannels() {
    }

    /**
     * The Redis stream of group changes of the deployment whose Cassandra keyspace is {@code keyspace}
     * (so deployments or test runs sharing one Redis never consume each other's changes); each entry
     * has one field, {@link #CHANGE_FIELD}, holding the change as JSON.
     */
    public static String changesStream(String keyspace) {
        return "parley:" + keyspace + ":group-changes";
    }

    public static String rosterVersionKey(UUID groupId) {
        return "parley:group:" + groupId + ":roster-version";
    }
}
