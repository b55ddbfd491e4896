package dev.parley.broker.messages;

import java.util.UUID;

/**
 * A validated send waiting for its place: who sent it (from the connection), to which conversation,
 * and the device's id for it.
 */
record Submission(String conversationId, UUID sender, UUID recipient, UUID groupId, String clientMsgId, String text) {
}
