package dev.parley.broker.auth;

import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Whether two users are friends, answered asynchronously (from Cassandra: FriendStore#areFriends). */
@FunctionalInterface
public interface FriendCheck {

    CompletionStage<Boolean> areFriends(UUID user, UUID other);
}
