package dev.parley.broker.messages;

import java.util.UUID;

/**
 * A validated send waiting for its place: who sent it (from the connection), to which conversation,
 * and the device's id for it. {@code event} (JSON) makes it a system message, such as a member joining
 * a group; {@code sender} is then who made the change.
 */
record Submission(String conversationId, UUID sender, UUID recipient, UUID groupId, String clientMsgId, String text,
                  String event) {

    boolean isSystem() {
        return event != null;
    }
}
