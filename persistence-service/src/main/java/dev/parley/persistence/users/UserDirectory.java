package dev.parley.persistence.users;

import dev.parley.persistence.problems.ProblemException;
import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Looks users up; the asynchronous store keeps request threads free while Cassandra answers. */
@ApplicationScoped
class UserDirectory {

    private final UserStore users;

    UserDirectory(UserStore users) {
        this.users = users;
    }

    CompletionStage<UserRecord> find(UUID id) {
        return users.find(id).thenApply(found -> found.orElseThrow(
                () -> ProblemException.notFound("There is no user with id " + id)));
    }
}
