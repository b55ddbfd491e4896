package dev.parley.cassandra;

/**
 * Where a service's Cassandra session points, as its readiness check reports and probes it; each service
 * produces one from its own configuration.
 *
 * @param contactPoints {@code host:port[,host:port…]} as configured
 * @param keyspace      Parley's keyspace
 */
public record CassandraTarget(String contactPoints, String keyspace) {
}
