package dev.parley.protocol;

import java.util.Optional;
import java.util.UUID;

/**
 * Parley's MQTT topics (see docs/asyncapi.yaml). Anything that does not parse into one of these is
 * not a Parley topic and is refused by the broker.
 */
public sealed interface Topic {

    String name();

    /** {@code users/{to}/messages}: 1:1 messages to a user; the user's devices subscribe. */
    record UserMessages(UUID user) implements Topic {
        public String name() {
            return "users/" + user + "/messages";
        }
    }

    /** {@code users/{id}/receipts}: delivered/read watermarks. */
    record UserReceipts(UUID user) implements Topic {
        public String name() {
            return "users/" + user + "/receipts";
        }
    }

    /** {@code users/{id}/events}: published by the extension only (acks, errors, membership). */
    record UserEvents(UUID user) implements Topic {
        public String name() {
            return "users/" + user + "/events";
        }
    }

    /** {@code users/{id}/sync}: a device asks for what it missed (catch-up); the answer comes to that device only. */
    record UserSync(UUID user) implements Topic {
        public String name() {
            return "users/" + user + "/sync";
        }
    }

    /**
     * {@code users/{id}/typing}: a device publishes {@code {"state"}} here to tell user {@code id} it is typing
     * to them; the broker delivers its own typing indicators to the user's devices on the same topic.
     */
    record UserTyping(UUID user) implements Topic {
        public String name() {
            return "users/" + user + "/typing";
        }
    }

    /** {@code groups/{groupId}/typing}: a member is typing in the group; indicators arrive on {@code users/{me}/typing}. */
    record GroupTyping(UUID group) implements Topic {
        public String name() {
            return "groups/" + group + "/typing";
        }
    }

    /** {@code groups/{groupId}/messages}: group messages. */
    record GroupMessages(UUID group) implements Topic {
        public String name() {
            return "groups/" + group + "/messages";
        }
    }

    /** {@code presence/{id}/{deviceId}}: one device's status (its last will says offline). */
    record DevicePresence(UUID user, String deviceId) implements Topic {
        /** The filter matching every device's presence topic. */
        public static final String EVERY_DEVICE = "presence/+/+";

        public String name() {
            return "presence/" + user + "/" + deviceId;
        }
    }

    /** {@code presence/{id}}: a user's aggregate presence, retained, for friends. */
    record UserPresence(UUID user) implements Topic {
        public String name() {
            return "presence/" + user;
        }
    }

    static Optional<Topic> parse(String name) {
        if (name == null || name.isEmpty() || name.contains("+") || name.contains("#")) {
            return Optional.empty();
        }
        String[] levels = name.split("/", -1);
        if (levels.length == 3 && levels[0].equals("users")) {
            Optional<UUID> user = Ids.parseUuid(levels[1]);
            return switch (levels[2]) {
                case "messages" -> user.map(UserMessages::new);
                case "receipts" -> user.map(UserReceipts::new);
                case "events" -> user.map(UserEvents::new);
                case "sync" -> user.map(UserSync::new);
                case "typing" -> user.map(UserTyping::new);
                default -> Optional.empty();
            };
        }
        if (levels.length == 3 && levels[0].equals("groups")) {
            return switch (levels[2]) {
                case "messages" -> Ids.parseUuid(levels[1]).map(GroupMessages::new);
                case "typing" -> Ids.parseUuid(levels[1]).map(GroupTyping::new);
                default -> Optional.empty();
            };
        }
        if (levels[0].equals("presence")) {
            if (levels.length == 2) {
                return Ids.parseUuid(levels[1]).map(UserPresence::new);
            }
            if (levels.length == 3 && ClientIdentity.isValidDeviceId(levels[2])) {
                return Ids.parseUuid(levels[1]).map(u -> new DevicePresence(u, levels[2]));
            }
        }
        return Optional.empty();
    }
}
