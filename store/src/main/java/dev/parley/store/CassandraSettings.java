package dev.parley.store;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where Parley's keyspace lives and how it is written.
 *
 * @param contactPoints   CQL endpoints of the cluster (one is enough; the driver discovers the rest)
 * @param localDatacenter data centre the driver treats as local (SimpleSnitch calls it {@code datacenter1})
 * @param keyspace        Parley's keyspace
 * @param replication     replication used when the keyspace is created
 * @param consistency     consistency of every read and write; LOCAL_QUORUM unless an operator knows better
 * @param requestTimeout  how long one request may take before it fails visibly
 */
public record CassandraSettings(
        List<InetSocketAddress> contactPoints,
        String localDatacenter,
        String keyspace,
        Replication replication,
        ConsistencyLevel consistency,
        Duration requestTimeout) {

    public static final String DEFAULT_KEYSPACE = "parley";

    public CassandraSettings {
        contactPoints = List.copyOf(contactPoints);
        if (contactPoints.isEmpty()) {
            throw new IllegalArgumentException("at least one Cassandra contact point is needed");
        }
        Objects.requireNonNull(localDatacenter, "localDatacenter");
        if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
            throw new IllegalArgumentException("keyspace '" + keyspace
                    + "' is not a valid Cassandra keyspace name (lower-case letters, digits, _; at most 48)");
        }
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** Settings for one local node: SimpleStrategy RF 1, LOCAL_QUORUM, 5 s requests. */
    public static CassandraSettings local(String host, int port, String keyspace) {
        return new CassandraSettings(List.of(new InetSocketAddress(host, port)), "datacenter1", keyspace,
                Replication.parse("SimpleStrategy:1"), DefaultConsistencyLevel.LOCAL_QUORUM, Duration.ofSeconds(5));
    }

    /**
     * Settings of a service that uses the schema but never creates the keyspace (presence-bridge,
     * push-service): replication matters only to whoever creates it, persistence-service.
     */
    public static CassandraSettings forReader(String contactPoints, String localDatacenter, String keyspace,
                                              DefaultConsistencyLevel consistency, Duration requestTimeout) {
        return new CassandraSettings(parseContactPoints(contactPoints), localDatacenter, keyspace,
                Replication.parse("SimpleStrategy:1"), consistency, requestTimeout);
    }

    /** Parses {@code host:port,host:port} as written in configuration files. */
    public static List<InetSocketAddress> parseContactPoints(String text) {
        return java.util.Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(CassandraSettings::parseHostPort)
                .toList();
    }

    private static InetSocketAddress parseHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("Cassandra contact point '" + hostPort + "' must be host:port");
        }
        try {
            return InetSocketAddress.createUnresolved(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Cassandra contact point '" + hostPort + "' has no numeric port", e);
        }
    }
}
