package dev.parley.persistence.users;

import dev.parley.persistence.accounts.AccountClaims;
import dev.parley.persistence.problems.ProblemException;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Looks users up; the asynchronous store keeps request threads free while Cassandra answers. */
@ApplicationScoped
class UserDirectory {

    private final UserStore users;
    private final AccountClaims claims;

    UserDirectory(UserStore users, AccountClaims claims) {
        this.users = users;
        this.claims = claims;
    }

    CompletionStage<UserRecord> find(UUID id) {
        return users.find(id).thenApply(found -> found.orElseThrow(
                () -> ProblemException.notFound("There is no user with id " + id)));
    }

    /**
     * Through the handle's claim, then the user row: a claim without a row (a registration in progress
     * or an orphan, see Registration) is not a user yet, so it is a 404 too.
     */
    CompletionStage<UserRecord> findByHandle(String handle) {
        return claims.handles().owner(handle)
                .thenCompose(owner -> owner.isPresent() ? users.find(owner.get())
                        : CompletableFuture.completedFuture(Optional.<UserRecord>empty()))
                .thenApply(found -> found.orElseThrow(
                        () -> ProblemException.notFound("There is no user with handle '" + handle + "'")));
    }
}
