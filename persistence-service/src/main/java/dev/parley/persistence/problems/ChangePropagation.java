package dev.parley.persistence.problems;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The Redis step that tells other processes about a change already stored in Cassandra (a group change,
 * a logout, presence settings): bounded by {@code parley.changes.redis-timeout} (Lettuce's own
 * default is a minute), and any failure becomes the one 503 a client can act on, change-not-propagated:
 * the change is stored and retrying the same request is safe.
 */
@ApplicationScoped
public class ChangePropagation {

    private static final Logger LOG = Logger.getLogger(ChangePropagation.class);

    private final Duration timeout;

    @Inject
    public ChangePropagation(@ConfigProperty(name = "parley.changes.redis-timeout", defaultValue = "2s") Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * @param stored what was stored, for the log line ("Group 1234: change stored")
     * @param detail the problem's detail for the client: what is stored and who may not see it yet
     */
    public <T> CompletionStage<T> bounded(CompletionStage<T> redisWork, String stored, String detail) {
        return redisWork.toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    LOG.warnf("%s, but Redis did not confirm it in time: %s", stored, cause.toString());
                    throw ProblemException.of(ProblemType.CHANGE_NOT_PROPAGATED,
                            detail + " Retry the same request (retrying is safe).");
                });
    }
}
