package dev.parley.persistence.accounts;

import dev.parley.persistence.accounts.AccountValidation.ValidRegistration;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.persistence.problems.ProblemType;
import dev.parley.store.accounts.UniqueClaims;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Creates accounts. Uniqueness of handle, e-mail and phone is decided by lightweight transactions on
 * their lookup tables, claimed one after the other BEFORE the user row is written: whoever's claim is
 * applied owns the value, every concurrent loser gets a 409, and no user row ever exists for a lost
 * claim.
 * <p>
 * When a later step fails (a value already taken, or Cassandra failing), the values claimed so far are
 * released, best effort. What remains possible: if the release itself fails, or the process dies
 * between a claim and the user row, the claim stays with a user id that has no user row (an orphan).
 * Such a handle is then unavailable, and lookups of it answer 404, until an operator (or a future
 * sweeper that deletes claims whose user row is missing after a grace period) removes it. No account
 * is ever half-visible: the user row, written last, is what makes it exist.
 */
@ApplicationScoped
public class Registration {

    private static final Logger LOG = Logger.getLogger(Registration.class);

    private final AccountClaims claims;
    private final UserStore users;
    private final PasswordHasher hasher;

    Registration(AccountClaims claims, UserStore users, PasswordHasher hasher) {
        this.claims = claims;
        this.users = users;
        this.hasher = hasher;
    }

    public CompletionStage<UserRecord> register(RegistrationRequest request) {
        ValidRegistration valid = AccountValidation.validate(request);
        UUID id = UUID.randomUUID();
        // Millisecond precision: what Cassandra's timestamp keeps, so the response equals later reads.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Claim> held = new CopyOnWriteArrayList<>();
        // Hash first: the CPU-heavy step happens before any claim exists, which keeps the window in
        // which a crash could leave an orphan claim to a few store round trips.
        return hasher.hash(valid.password())
                .thenCompose(hash -> claim(claims.handles(), valid.handle(), id, ProblemType.HANDLE_TAKEN,
                        "handle '" + valid.handle() + "' is taken: choose another", held)
                        .thenCompose(x -> claim(claims.emails(), valid.email(), id, ProblemType.EMAIL_TAKEN,
                                "another account uses this e-mail address", held))
                        .thenCompose(x -> claim(claims.phones(), valid.phone(), id, ProblemType.PHONE_TAKEN,
                                "another account uses this phone number", held))
                        .thenCompose(x -> {
                            UserRecord user = new UserRecord(id, valid.handle(), valid.displayName(), valid.phone(),
                                    valid.email(), hash, now);
                            return users.insert(user).thenApply(done -> user);
                        }))
                .handle((user, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(user);
                    }
                    return releaseAll(held).thenCompose(x -> CompletableFuture.<UserRecord>failedFuture(unwrap(failure)));
                })
                .thenCompose(stage -> stage);
    }

    private record Claim(UniqueClaims table, String value, UUID owner) {
    }

    private static CompletionStage<Void> claim(UniqueClaims table, String value, UUID id, ProblemType taken,
                                               String detail, List<Claim> held) {
        if (value == null) {
            return CompletableFuture.completedFuture(null);
        }
        return table.claim(value, id).thenAccept(applied -> {
            if (!applied) {
                throw ProblemException.of(taken, detail);
            }
            held.add(new Claim(table, value, id));
        });
    }

    private static CompletionStage<Void> releaseAll(List<Claim> held) {
        CompletableFuture<?>[] releases = held.stream()
                .map(claim -> claim.table().release(claim.value(), claim.owner())
                        .exceptionally(e -> {
                            LOG.warnf("Could not release %s claim for user %s after a failed registration (%s); "
                                    + "it stays claimed until removed", claim.table().kind(), claim.owner(), e.toString());
                            return null;
                        })
                        .toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(releases);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
