package dev.parley.store;

import java.util.List;

/** The schema history, oldest first. Append only: a released migration never changes. */
final class Migrations {

    static final List<Migration> ALL = List.of(
            Migration.fromResource(1, "users and handles", "V001__users.cql"),
            Migration.fromResource(2, "messages, sends, heads, leases, watermarks", "V002__messages.cql"),
            Migration.fromResource(3, "e-mail and phone claims, devices", "V003__accounts.cql"),
            Migration.fromResource(4, "friends and friend requests", "V004__friends.cql"),
            Migration.fromResource(5, "groups and group members", "V005__groups.cql"),
            Migration.fromResource(6, "system messages", "V006__system_messages.cql"),
            Migration.fromResource(7, "push tokens of devices", "V007__push_tokens.cql"),
            Migration.fromResource(8, "user presence: last seen and privacy settings", "V008__user_presence.cql"));

    private Migrations() {
    }

    static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }
}
