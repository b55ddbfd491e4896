package dev.parley.broker.config;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.parley.store.CassandraSettings;
import dev.parley.store.Replication;
import io.lettuce.core.RedisURI;
import dev.parley.protocol.tokens.AccessTokens;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns {@code conf/parley.properties} into an {@link ExtensionConfig}.
 *
 * <p>Rules, so that an operator's mistake is loud but only fatal where guessing would be dangerous:
 * an absent or empty key takes its default; a value that decides where data lives or how durably it
 * is written (contact points, keyspace, consistency, Redis URI) or who may connect (the access token
 * secret, which has no default) must be valid, or a {@link ConfigException} stops the start; any other
 * invalid value is replaced by its default with a warning; an unknown key is a warning (most likely a
 * typo).
 */
public final class ConfigReader {

    /** Where the file lives, relative to the extension's folder. */
    public static final String FILE = "conf/parley.properties";

    public static final String CASSANDRA_CONTACT_POINTS = "cassandra.contact-points";
    public static final String CASSANDRA_LOCAL_DATACENTER = "cassandra.local-datacenter";
    public static final String CASSANDRA_KEYSPACE = "cassandra.keyspace";
    public static final String CASSANDRA_CONSISTENCY = "cassandra.consistency";
    public static final String CASSANDRA_REQUEST_TIMEOUT_MS = "cassandra.request-timeout-ms";
    public static final String REDIS_URI = "redis.uri";
    public static final String HEALTH_BIND = "health.bind";
    public static final String HEALTH_PORT = "health.port";
    public static final String AUTH_TOKEN_SECRET = "auth.token-secret";
    public static final String AUTH_TOKEN_SECRET_FILE = "auth.token-secret-file";
    public static final String NODE_ID = "node.id";
    public static final String MESSAGES_ACK_TIMEOUT_MS = "messages.ack-timeout-ms";

    /** Every key with its default (empty: none, the key is required), in the order of the shipped file. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> defaults = new LinkedHashMap<>();
        // No default: one of the two must be set (a default secret would let anyone mint tokens).
        defaults.put(AUTH_TOKEN_SECRET_FILE, "");
        defaults.put(AUTH_TOKEN_SECRET, "");
        defaults.put(CASSANDRA_CONTACT_POINTS, "127.0.0.1:9042");
        defaults.put(CASSANDRA_LOCAL_DATACENTER, "datacenter1");
        defaults.put(CASSANDRA_KEYSPACE, CassandraSettings.DEFAULT_KEYSPACE);
        defaults.put(CASSANDRA_CONSISTENCY, "LOCAL_QUORUM");
        defaults.put(CASSANDRA_REQUEST_TIMEOUT_MS, "5000");
        defaults.put(REDIS_URI, "redis://127.0.0.1:6379");
        defaults.put(HEALTH_BIND, "127.0.0.1");
        defaults.put(HEALTH_PORT, "8090");
        // Empty: a fresh random name at every start (a restarted node then waits up to 30 s for its old leases).
        defaults.put(NODE_ID, "");
        defaults.put(MESSAGES_ACK_TIMEOUT_MS, "10000");
        DEFAULTS = java.util.Collections.unmodifiableMap(defaults);
    }

    /** Bound on every Redis command unless the URI says {@code ?timeout=}; Lettuce's own 60 s is too long. */
    static final Duration DEFAULT_REDIS_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The extension never creates the keyspace (persistence-service does), so this replication is
     * never applied; CassandraSettings requires one.
     */
    private static final Replication UNUSED_REPLICATION = Replication.parse("SimpleStrategy:1");

    private static final Set<DefaultConsistencyLevel> WRITE_CONSISTENCIES = EnumSet.of(
            DefaultConsistencyLevel.ONE, DefaultConsistencyLevel.TWO, DefaultConsistencyLevel.THREE,
            DefaultConsistencyLevel.QUORUM, DefaultConsistencyLevel.ALL, DefaultConsistencyLevel.LOCAL_QUORUM,
            DefaultConsistencyLevel.EACH_QUORUM, DefaultConsistencyLevel.LOCAL_ONE);

    /**
     * @param config   what to run with
     * @param warnings one line per value that was ignored or replaced by its default, to be logged
     */
    public record Result(ExtensionConfig config, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    /** Advice repeated by every access-token-secret error. */
    private static final String SECRET_ADVICE = "generate one with `openssl rand -base64 48 > token-secret`"
            + " (chmod 600), and give persistence-service the same secret (parley.auth.token-secret-file), or the"
            + " tokens it issues will not be accepted";

    private final Map<String, String> values;
    private final Path baseDir;
    private final List<String> warnings = new ArrayList<>();

    private ConfigReader(Map<String, String> values, Path baseDir) {
        this.values = values;
        this.baseDir = baseDir;
    }

    /**
     * Reads {@value #FILE} below the extension's folder. A relative {@value #AUTH_TOKEN_SECRET_FILE} is
     * resolved against the extension's folder. A missing file is fatal: the token secret has no default.
     */
    public static Result read(Path extensionHome) {
        Path file = extensionHome.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + " does not exist: copy the commented one the extension zip ships and set "
                    + AUTH_TOKEN_SECRET_FILE + " in it (the access token secret has no default); every other key"
                    + " may keep its default");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        properties.stringPropertyNames().forEach(k -> values.put(k.trim(), properties.getProperty(k)));
        return parse(values, extensionHome);
    }

    /**
     * For embedding programs: a relative {@value #AUTH_TOKEN_SECRET_FILE} is resolved against the working
     * directory. The same map gives the same result as long as that file does not change.
     */
    public static Result parse(Map<String, String> values) {
        return parse(values, Path.of(""));
    }

    /** @param baseDir what a relative {@value #AUTH_TOKEN_SECRET_FILE} is resolved against */
    public static Result parse(Map<String, String> values, Path baseDir) {
        ConfigReader reader = new ConfigReader(values, baseDir);
        ExtensionConfig config = reader.build();
        return new Result(config, reader.warnings);
    }

    private ExtensionConfig build() {
        values.keySet().stream()
                .filter(k -> !DEFAULTS.containsKey(k))
                .sorted()
                .forEach(k -> warnings.add("unknown key '" + k + "' in " + FILE + " is ignored; known keys: "
                        + String.join(", ", DEFAULTS.keySet())));

        List<InetSocketAddress> contactPoints = contactPoints();
        String localDatacenter = value(CASSANDRA_LOCAL_DATACENTER);
        String keyspace = value(CASSANDRA_KEYSPACE);
        DefaultConsistencyLevel consistency = consistency();
        Duration requestTimeout = Duration.ofMillis(positiveNumber(CASSANDRA_REQUEST_TIMEOUT_MS, Integer.MAX_VALUE));
        CassandraSettings cassandra;
        try {
            cassandra = new CassandraSettings(contactPoints, localDatacenter, keyspace, UNUSED_REPLICATION,
                    consistency, requestTimeout);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CASSANDRA_KEYSPACE + ": " + e.getMessage(), e);
        }
        RedisSettings redis = redis();
        HealthSettings health = new HealthSettings(value(HEALTH_BIND), (int) number(HEALTH_PORT, 0, 65_535));
        return new ExtensionConfig(cassandra, redis, health, auth(), messaging());
    }

    private MessagingSettings messaging() {
        String nodeId = blankToNull(values.get(NODE_ID));
        if (nodeId != null && !nodeId.trim().matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ConfigException(NODE_ID + " '" + nodeId + "' must be 1-64 characters of A-Z a-z 0-9 _ . -");
        }
        String id = nodeId != null ? nodeId.trim() : "node-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Duration ackTimeout = Duration.ofMillis(number(MESSAGES_ACK_TIMEOUT_MS, 1_000, 120_000));
        return new MessagingSettings(id, ackTimeout);
    }

    /** Exactly one of the two secret keys; fatal otherwise, since no default can be safe. */
    private AuthSettings auth() {
        String inline = blankToNull(values.get(AUTH_TOKEN_SECRET));
        String file = blankToNull(values.get(AUTH_TOKEN_SECRET_FILE));
        if (inline != null && file != null) {
            throw new ConfigException(AUTH_TOKEN_SECRET + " and " + AUTH_TOKEN_SECRET_FILE + " are both set: keep one"
                    + " (" + AUTH_TOKEN_SECRET_FILE + " keeps the secret out of this file)");
        }
        if (inline == null && file == null) {
            throw new ConfigException("no access token secret: set " + AUTH_TOKEN_SECRET_FILE + " (a file holding the"
                    + " secret, relative to the extension folder) or " + AUTH_TOKEN_SECRET + " in " + FILE + "; "
                    + SECRET_ADVICE);
        }
        if (inline != null) {
            return authSettings(inline, AUTH_TOKEN_SECRET);
        }
        Path path = baseDir.resolve(file).toAbsolutePath().normalize();
        String secret;
        try {
            secret = Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException(AUTH_TOKEN_SECRET_FILE + " '" + file + "' cannot be read (" + path + ": "
                    + e.getClass().getSimpleName() + "): create it, e.g. `openssl rand -base64 48 > " + path
                    + "`, chmod 600, and give persistence-service the same secret", e);
        }
        warnIfOthersCanRead(path);
        return authSettings(secret, AUTH_TOKEN_SECRET_FILE + " " + path);
    }

    private static AuthSettings authSettings(String secret, String source) {
        int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < AccessTokens.MIN_SECRET_BYTES) {
            throw new ConfigException(source + " holds a secret of " + bytes + " bytes; at least "
                    + AccessTokens.MIN_SECRET_BYTES + " are needed: " + SECRET_ADVICE);
        }
        return new AuthSettings(secret, source);
    }

    private void warnIfOthersCanRead(Path path) {
        try {
            if (Files.getPosixFilePermissions(path).contains(PosixFilePermission.OTHERS_READ)) {
                warnings.add(AUTH_TOKEN_SECRET_FILE + " " + path + " is readable by every user of this machine: "
                        + "chmod 600 it (whoever reads it can sign in as anyone)");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or unreadable attributes: nothing to warn about that we can check
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The value, or the default when the key is absent or empty (an empty one is reported). */
    private String value(String key) {
        String raw = values.get(key);
        if (raw == null) {
            return DEFAULTS.get(key);
        }
        String trimmed = raw.trim();
        if (trimmed.isEmpty()) {
            warnings.add(key + " is empty: using the default " + DEFAULTS.get(key));
            return DEFAULTS.get(key);
        }
        return trimmed;
    }

    private List<InetSocketAddress> contactPoints() {
        String text = value(CASSANDRA_CONTACT_POINTS);
        List<InetSocketAddress> points;
        try {
            points = CassandraSettings.parseContactPoints(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CASSANDRA_CONTACT_POINTS + " '" + text + "' is not understood (" + e.getMessage()
                    + "): write host:port[,host:port...], e.g. 127.0.0.1:9042", e);
        }
        if (points.isEmpty()) {
            throw new ConfigException(CASSANDRA_CONTACT_POINTS + " '" + text
                    + "' names no endpoint: write host:port[,host:port...], e.g. 127.0.0.1:9042");
        }
        for (InetSocketAddress point : points) {
            if (point.getPort() == 0) {
                throw new ConfigException(CASSANDRA_CONTACT_POINTS + " '" + text + "' has port 0: write the CQL port"
                        + " (9042 unless the cluster says otherwise)");
            }
        }
        return points;
    }

    private DefaultConsistencyLevel consistency() {
        String text = value(CASSANDRA_CONSISTENCY).toUpperCase(Locale.ROOT);
        DefaultConsistencyLevel level;
        try {
            level = DefaultConsistencyLevel.valueOf(text);
        } catch (IllegalArgumentException e) {
            level = null;
        }
        if (level == null || !WRITE_CONSISTENCIES.contains(level)) {
            // Fatal, not defaulted: a typo must not silently change how durable an acknowledged message is.
            throw new ConfigException(CASSANDRA_CONSISTENCY + " '" + text + "' is not usable for reads and writes: "
                    + "write one of " + WRITE_CONSISTENCIES.stream().map(Enum::name).collect(Collectors.joining(", "))
                    + " (LOCAL_QUORUM unless you know better)");
        }
        if (level == DefaultConsistencyLevel.ONE || level == DefaultConsistencyLevel.LOCAL_ONE) {
            warnings.add(CASSANDRA_CONSISTENCY + " is " + level + ": an acknowledged message is on one replica only "
                    + "and is lost if that replica's disk is; LOCAL_QUORUM is the default for a reason");
        }
        return level;
    }

    private long positiveNumber(String key, long max) {
        return number(key, 1, max);
    }

    /** A number in [min, max]; anything else is reported and replaced by the default. */
    private long number(String key, long min, long max) {
        String text = value(key);
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        warnings.add(key + " '" + text + "' is not a whole number from " + min + " to " + max
                + ": using the default " + DEFAULTS.get(key));
        return Long.parseLong(DEFAULTS.get(key));
    }

    private RedisSettings redis() {
        String text = value(REDIS_URI);
        try {
            RedisURI parsed = RedisURI.create(text);
            Duration timeout = hasTimeoutParameter(text) ? parsed.getTimeout() : DEFAULT_REDIS_COMMAND_TIMEOUT;
            return new RedisSettings(text, timeout);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new ConfigException(REDIS_URI + " '" + withoutCredentials(text) + "' is not understood ("
                    + e.getMessage() + "): write redis://[[user:]password@]host[:port][/database], "
                    + "e.g. redis://127.0.0.1:6379", e);
        }
    }

    private static boolean hasTimeoutParameter(String uri) {
        try {
            String query = URI.create(uri).getRawQuery();
            return query != null && java.util.Arrays.stream(query.split("&")).anyMatch(p -> p.startsWith("timeout="));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A URI for a message: the password of {@code redis://user:secret@host} never reaches a log. */
    static String withoutCredentials(String uri) {
        return uri.replaceAll("//[^/@]*@", "//***@");
    }
}
