package dev.parley.broker.messages;

import dev.parley.store.messages.StoredMessage;
import java.util.UUID;

/**
 * What travels between broker nodes through Redis when a send reaches a node that does not own its
 * conversation: the request to the owner, and the owner's answer.
 */
final class ForwardedSend {

    private ForwardedSend() {
    }

    record Request(String requestId, String replyTo, String conversationId, UUID sender, UUID recipient, UUID groupId,
                   String clientMsgId, String text, String event) {

        static Request of(String requestId, String replyTo, Submission s) {
            return new Request(requestId, replyTo, s.conversationId(), s.sender(), s.recipient(), s.groupId(),
                    s.clientMsgId(), s.text(), s.event());
        }

        Submission submission() {
            return new Submission(conversationId, sender, recipient, groupId, clientMsgId, text, event);
        }
    }

    /** {@code outcome}: stored, duplicate or failed (then {@code kind} and {@code reason}). */
    record Reply(String requestId, String outcome, StoredMessage message, SequencerResult.Kind kind, String reason) {

        static Reply of(String requestId, SequencerResult result) {
            if (result instanceof SequencerResult.Stored s) {
                return new Reply(requestId, "stored", s.message(), null, null);
            }
            if (result instanceof SequencerResult.Duplicate d) {
                return new Reply(requestId, "duplicate", d.original(), null, null);
            }
            if (result instanceof SequencerResult.Failed f) {
                return new Reply(requestId, "failed", null, f.kind(), f.reason());
            }
            // Ownership moved on while the request travelled: one hop only, the sender retries.
            return new Reply(requestId, "failed", null, SequencerResult.Kind.OWNED_ELSEWHERE,
                    "message not stored: this conversation's ordering moved to another broker node; retry the send");
        }

        SequencerResult result() {
            return switch (outcome) {
                case "stored" -> new SequencerResult.Stored(message);
                case "duplicate" -> new SequencerResult.Duplicate(message);
                default -> new SequencerResult.Failed(kind, reason);
            };
        }
    }
}
