package dev.parley.client.cli;

import dev.parley.client.session.AccountsApi;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Handles for user ids, asked once each from persistence-service. */
final class People {

    private final AccountsApi accounts;
    private final Map<UUID, String> handles = new ConcurrentHashMap<>();

    People(AccountsApi accounts) {
        this.accounts = accounts;
    }

    String handleOf(UUID userId) {
        return handles.computeIfAbsent(userId, id -> {
            try {
                return accounts.handleOf(id);
            } catch (RuntimeException e) {
                return id.toString().substring(0, 8); // offline: show the id's start rather than nothing
            }
        });
    }

    /** A handle learnt elsewhere (e.g. the friends list), so it need not be asked for. */
    void know(UUID userId, String handle) {
        handles.put(userId, handle);
    }

    UUID idOf(String handle) {
        UUID id = accounts.userIdOf(handle);
        handles.put(id, handle);
        return id;
    }
}
