package dev.parley.broker.messages;

import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.OutgoingMessage;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 1:1 send from validated input to a stored, delivered message: recipient exists → deduplicate →
 * sequence → store → (then the caller acknowledges) → deliver to every device of both users.
 */
final class DirectMessagePipeline {

    private static final Logger LOG = LoggerFactory.getLogger(DirectMessagePipeline.class);

    private final UserDirectory users;
    private final ConversationSequencer sequencer;
    private final EnvelopeDelivery delivery;
    private final OwnerForwarding forwarding;

    DirectMessagePipeline(UserDirectory users, ConversationSequencer sequencer, EnvelopeDelivery delivery,
                          OwnerForwarding forwarding) {
        this.users = users;
        this.sequencer = sequencer;
        this.delivery = delivery;
        this.forwarding = forwarding;
    }

    CompletionStage<SendOutcome> send(ClientIdentity sender, UUID recipient, OutgoingMessage message) {
        return users.exists(recipient).thenCompose(exists -> {
            if (!exists) {
                return CompletableFuture.completedFuture(new SendOutcome.Refused(SendOutcome.Reason.UNKNOWN_RECIPIENT,
                        "there is no user " + recipient + ": check the recipient's id"));
            }
            Submission submission = new Submission(ConversationId.direct(sender.userId(), recipient).value(),
                    sender.userId(), recipient, null, message.clientMsgId(), message.text());
            return sequencer.submit(submission, delivery::deliverDirect)
                    .thenCompose(result -> result instanceof SequencerResult.OwnedBy owner
                            ? forwardTo(owner.node(), submission)
                            : CompletableFuture.completedFuture(result))
                    .thenApply(result -> outcome(sender, result));
        });
    }

    /**
     * The owner stores and delivers on its node; the answer comes back in seq order, so this node
     * delivers it to its own connected devices too (each device is connected to one node only).
     */
    private CompletionStage<SequencerResult> forwardTo(String owner, Submission submission) {
        return forwarding.forward(owner, submission).thenApply(result -> {
            if (result instanceof SequencerResult.Stored stored) {
                delivery.deliverDirect(stored.message());
            }
            return result;
        });
    }

    private SendOutcome outcome(ClientIdentity sender, SequencerResult result) {
        if (result instanceof SequencerResult.Stored stored) {
            LOG.debug("Message {} from {} stored at seq {} of {}", stored.message().messageId(), sender.clientId(),
                    stored.message().seq(), stored.message().conversationId());
            return new SendOutcome.Accepted(stored.message(), false);
        }
        if (result instanceof SequencerResult.Duplicate duplicate) {
            LOG.info("Retry of message {} (clientMsgId {}) from {}: acknowledged with its original seq {}",
                    duplicate.original().messageId(), duplicate.original().clientMsgId(), sender.clientId(),
                    duplicate.original().seq());
            delivery.redeliverTo(sender.clientId(), duplicate.original());
            return new SendOutcome.Accepted(duplicate.original(), true);
        }
        if (!(result instanceof SequencerResult.Failed failed)) {
            return new SendOutcome.Refused(SendOutcome.Reason.NOT_STORED,
                    "message not stored: this conversation's ordering moved to another broker node; retry the send");
        }
        return switch (failed.kind()) {
            case CLIENT_MSG_ID_REUSED -> new SendOutcome.Refused(SendOutcome.Reason.BAD_CLIENT_MSG_ID, failed.reason());
            case STORE_UNAVAILABLE, OWNED_ELSEWHERE -> new SendOutcome.Refused(SendOutcome.Reason.NOT_STORED, failed.reason());
        };
    }
}
