package dev.parley.persistence.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import dev.parley.store.SchemaException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Startup cannot continue without Cassandra. The message is the one line an operator reads, so it
 * says what was tried and what to do. It carries neither a stack trace nor its cause: Quarkus prints
 * the chain of whatever fails startup, and the driver's chain is 60 lines that bury the one that
 * matters (the producer logs it at DEBUG for whoever needs it).
 */
final class CassandraStartupFailure extends RuntimeException {

    private CassandraStartupFailure(String message) {
        super(message, null, false, false);
    }

    /**
     * Turns whatever opening or migrating the keyspace threw into one actionable sentence.
     *
     * @param connected whether the driver session was open when {@code failure} happened
     */
    static CassandraStartupFailure describe(Throwable failure, String contactPoints, String localDatacenter,
                                            boolean connected) {
        Throwable cause = unwrap(failure);
        String message;
        if (cause instanceof SchemaException) {
            message = "Cassandra schema at " + contactPoints + " cannot be used: " + cause.getMessage();
        } else if (cause instanceof NoNodeAvailableException && connected) {
            // The contact point answered, but no node is in the configured data centre: the driver
            // then has nobody to send statements to.
            message = "Connected to Cassandra at " + contactPoints + " but no node of data centre '"
                    + localDatacenter + "' is available: set parley.cassandra.local-datacenter to the data "
                    + "centre your nodes report (a single dev node calls it datacenter1)";
        } else if (cause instanceof AllNodesFailedException && !connected) {
            message = "Cannot reach Cassandra at " + contactPoints + " (" + connectionError((AllNodesFailedException) cause)
                    + "): start Cassandra, e.g. with ./parley up, or point parley.cassandra.contact-points at a "
                    + "running node";
        } else if (cause instanceof DriverTimeoutException) {
            message = "Cassandra at " + contactPoints + " did not answer in time while preparing the schema ("
                    + cause.getMessage() + "): check the node's health, or raise parley.cassandra.request-timeout";
        } else if (cause instanceof IllegalArgumentException) {
            message = "Invalid Cassandra configuration: " + cause.getMessage();
        } else {
            message = (connected ? "Preparing the Cassandra schema at " : "Connecting to Cassandra at ")
                    + contactPoints + " failed: " + cause;
        }
        return new CassandraStartupFailure("persistence-service cannot start. " + message);
    }

    /**
     * The driver reports a refused connection four wrappers deep (init exception, suppressed netty
     * exception, cause); the socket-level reason is what tells an operator what is wrong.
     */
    private static String connectionError(AllNodesFailedException e) {
        List<Throwable> errors = e.getAllErrors().values().stream().flatMap(List::stream).toList();
        Deque<Throwable> pending = new ArrayDeque<>(errors);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return t.getMessage();
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            pending.addAll(Arrays.asList(t.getSuppressed()));
        }
        return errors.isEmpty() ? e.getMessage() : errors.get(0).getMessage();
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
