package dev.parley.broker.startup;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import dev.parley.broker.config.ConfigReader;
import dev.parley.broker.config.ExtensionConfig;
import dev.parley.broker.config.RedisSettings;
import dev.parley.store.CassandraSessions;
import dev.parley.store.CassandraSettings;
import dev.parley.store.SchemaException;
import dev.parley.store.SchemaMigrator;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections the extension works with: a Cassandra session whose keyspace has the schema this
 * build needs, and a Redis connection. {@link #connect} opens and checks both or fails with a
 * {@link StartupException} whose message tells an operator what to do; it never leaves anything
 * open behind a failure (HiveMQ does not call {@code extensionStop} for an extension that did not
 * start).
 *
 * <p>Each step waits with a bound on top of the clients' own timeouts: HiveMQ opens its listeners
 * only after the extensions have started, so a hung dependency must not hold the broker forever.
 */
public final class Dependencies implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dependencies.class);

    static final String APPLICATION_NAME = "parley-broker";
    static final Duration CASSANDRA_OPEN_WAIT = Duration.ofSeconds(30);
    static final Duration REDIS_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REDIS_CONNECT_WAIT = Duration.ofSeconds(10);
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private static final String HOW_TO_START = "start it (./parley up starts one) or set ";

    private final CqlSession cassandra;
    private final RedisClient redisClient;
    private final StatefulRedisConnection<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> redisSubscriptions;

    private Dependencies(CqlSession cassandra, RedisClient redisClient, StatefulRedisConnection<String, String> redis,
                         StatefulRedisPubSubConnection<String, String> redisSubscriptions) {
        this.cassandra = cassandra;
        this.redisClient = redisClient;
        this.redis = redis;
        this.redisSubscriptions = redisSubscriptions;
    }

    /** Opens Cassandra, verifies the keyspace's schema, connects Redis. Blocks, with bounded waits. */
    public static Dependencies connect(ExtensionConfig config) throws StartupException {
        Objects.requireNonNull(config, "config");
        CqlSession session = openCassandra(config.cassandra());
        try {
            verifySchema(session, config.cassandra());
            RedisClient client = RedisClient.create();
            client.setOptions(ClientOptions.builder()
                    .socketOptions(SocketOptions.builder().connectTimeout(REDIS_CONNECT_TIMEOUT).build())
                    .build());
            StatefulRedisConnection<String, String> connection = connectRedis(client, config.redis());
            // Pub/sub needs a connection of its own: a subscribed connection takes no other commands.
            StatefulRedisPubSubConnection<String, String> subscriptions;
            try {
                subscriptions = client.connectPubSub(StringCodec.UTF8, config.redis().toRedisUri());
            } catch (RuntimeException e) {
                connection.close();
                shutdown(client);
                throw new StartupException(describeRedisFailure(config.redis(), e), e);
            }
            return new Dependencies(session, client, connection, subscriptions);
        } catch (StartupException | RuntimeException | Error e) {
            await(session.closeAsync().toCompletableFuture(), "Cassandra session");
            throw e;
        }
    }

    public CqlSession cassandra() {
        return cassandra;
    }

    public StatefulRedisConnection<String, String> redis() {
        return redis;
    }

    public StatefulRedisPubSubConnection<String, String> redisSubscriptions() {
        return redisSubscriptions;
    }

    /** Closes Redis and Cassandra side by side, waiting a bounded time for each. */
    @Override
    public void close() {
        CompletableFuture<Void> redisClosed = redisSubscriptions.closeAsync().handle((v, e) -> null)
                .thenCompose(v -> redis.closeAsync())
                .handle((v, e) -> null)
                .thenCompose(v -> redisClient.shutdownAsync(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS));
        CompletableFuture<Void> cassandraClosed = cassandra.closeAsync().toCompletableFuture();
        await(redisClosed, "Redis client");
        await(cassandraClosed, "Cassandra session");
    }

    private static CqlSession openCassandra(CassandraSettings settings) throws StartupException {
        String where = where(settings);
        CompletableFuture<CqlSession> opening;
        try {
            opening = CassandraSessions.open(settings, APPLICATION_NAME).toCompletableFuture();
        } catch (RuntimeException e) {
            throw new StartupException("Cassandra at " + where + " cannot be connected (" + rootMessage(e) + "): "
                    + "check " + ConfigReader.CASSANDRA_CONTACT_POINTS + " in " + ConfigReader.FILE, e);
        }
        try {
            return opening.get(CASSANDRA_OPEN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new StartupException(describeOpenFailure(settings, e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            opening.thenAccept(CqlSession::closeAsync); // a session that opens late must not leak
            throw new StartupException("Cassandra at " + where + " did not finish connecting within "
                    + CASSANDRA_OPEN_WAIT.toSeconds() + " s: check that it is up and healthy (nodetool status)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opening.thenAccept(CqlSession::closeAsync);
            throw new StartupException("interrupted while connecting to Cassandra at " + where, e);
        }
    }

    static String describeOpenFailure(CassandraSettings settings, Throwable failure) {
        String where = where(settings);
        if (failure instanceof AllNodesFailedException all) {
            List<Throwable> errors = all.getAllErrors().values().stream().flatMap(List::stream).toList();
            if (errors.stream().anyMatch(e -> e instanceof AuthenticationException)) {
                return "Cassandra at " + where + " requires authentication, which Parley does not support yet: "
                        + "use a cluster without authentication";
            }
            String detail = errors.isEmpty() ? rootMessage(failure)
                    : errors.stream().map(Dependencies::rootMessage).distinct().collect(Collectors.joining("; "));
            return "Cassandra at " + where + " is unreachable (" + detail + "): " + HOW_TO_START
                    + ConfigReader.CASSANDRA_CONTACT_POINTS + " in " + ConfigReader.FILE;
        }
        return "Cassandra at " + where + " cannot be connected (" + rootMessage(failure) + "): check the cassandra.* "
                + "settings in " + ConfigReader.FILE;
    }

    private static void verifySchema(CqlSession session, CassandraSettings settings) throws StartupException {
        try {
            new SchemaMigrator(session, settings.keyspace(), settings.replication()).verify();
        } catch (SchemaException e) {
            // verify() reports any failure to read the schema history as "no schema history"; only a
            // missing table means that. Anything else is the cluster failing the query.
            if (e.getCause() instanceof DriverException cause && !(cause instanceof InvalidQueryException)) {
                throw new StartupException(describeQueryFailure(settings, cause), cause);
            }
            throw new StartupException("Cassandra at " + where(settings) + ": " + e.getMessage(), e);
        } catch (DriverException e) {
            throw new StartupException(describeQueryFailure(settings, e), e);
        }
    }

    static String describeQueryFailure(CassandraSettings settings, DriverException failure) {
        String where = where(settings);
        if (failure instanceof NoNodeAvailableException) {
            return "Cassandra at " + where + " has no node in data centre '" + settings.localDatacenter()
                    + "': set " + ConfigReader.CASSANDRA_LOCAL_DATACENTER + " in " + ConfigReader.FILE
                    + " to the cluster's data centre (nodetool status shows it)";
        }
        if (failure instanceof DriverTimeoutException) {
            return "Cassandra at " + where + " did not answer within " + settings.requestTimeout().toMillis()
                    + " ms: check that it is healthy (nodetool status) or raise "
                    + ConfigReader.CASSANDRA_REQUEST_TIMEOUT_MS + " in " + ConfigReader.FILE;
        }
        return "Cassandra at " + where + " failed to read keyspace '" + settings.keyspace() + "' ("
                + rootMessage(failure) + "): check that the cluster is healthy (nodetool status)";
    }

    private static StatefulRedisConnection<String, String> connectRedis(RedisClient client, RedisSettings settings)
            throws StartupException {
        CompletableFuture<StatefulRedisConnection<String, String>> connecting =
                client.connectAsync(StringCodec.UTF8, settings.toRedisUri()).toCompletableFuture();
        try {
            return connecting.get(REDIS_CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            shutdown(client);
            throw new StartupException(describeRedisFailure(settings, e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            connecting.thenAccept(StatefulRedisConnection::closeAsync);
            shutdown(client);
            throw new StartupException("Redis at " + settings.address() + " did not answer within "
                    + REDIS_CONNECT_WAIT.toSeconds() + " s: check that it is up (redis-cli -h <host> -p <port> ping)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(client);
            throw new StartupException("interrupted while connecting to Redis at " + settings.address(), e);
        }
    }

    static String describeRedisFailure(RedisSettings settings, Throwable failure) {
        Throwable root = root(failure);
        String where = settings.address();
        String message = String.valueOf(root.getMessage());
        if (root instanceof RedisCommandExecutionException
                && (message.startsWith("NOAUTH") || message.startsWith("WRONGPASS"))) {
            return "Redis at " + where + " refused the credentials (" + message + "): set user and password in "
                    + ConfigReader.REDIS_URI + " (redis://user:password@host:port) in " + ConfigReader.FILE;
        }
        if (root instanceof RedisCommandExecutionException) {
            return "Redis at " + where + " refused the connection (" + message + "): check " + ConfigReader.REDIS_URI
                    + " in " + ConfigReader.FILE;
        }
        return "Redis at " + where + " is unreachable (" + rootMessage(failure) + "): " + HOW_TO_START
                + ConfigReader.REDIS_URI + " in " + ConfigReader.FILE;
    }

    private static void shutdown(RedisClient client) {
        await(client.shutdownAsync(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS), "Redis client");
    }

    private static void await(CompletableFuture<?> closing, String what) {
        try {
            closing.get(CLOSE_WAIT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Closing the {} did not finish cleanly: {}", what, rootMessage(e));
        }
    }

    static String where(CassandraSettings settings) {
        return settings.contactPoints().stream()
                .map(a -> a.getHostString() + ":" + a.getPort())
                .collect(Collectors.joining(","));
    }

    /**
     * The most telling message of a failure: a network error (connection refused, unknown host) if
     * there is one anywhere in it (the driver keeps those as suppressed exceptions), else the root cause's.
     */
    static String rootMessage(Throwable failure) {
        Throwable network = findNetworkError(failure, new java.util.HashSet<>());
        Throwable chosen = network != null && isNetworkError(root(network)) ? root(network)
                : network != null ? network : root(failure);
        String message = chosen.getMessage();
        return message == null || message.isBlank() ? chosen.getClass().getSimpleName() : message;
    }

    private static Throwable findNetworkError(Throwable t, java.util.Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return null;
        }
        if (isNetworkError(t)) {
            return t;
        }
        Throwable found = findNetworkError(t.getCause(), seen);
        for (Throwable suppressed : t.getSuppressed()) {
            found = found != null ? found : findNetworkError(suppressed, seen);
        }
        return found;
    }

    private static boolean isNetworkError(Throwable t) {
        return t instanceof java.net.SocketException || t instanceof java.net.UnknownHostException
                || t instanceof java.net.SocketTimeoutException;
    }

    private static Throwable root(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
