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
 * A send from validated input to a stored, delivered message: (1:1: the recipient exists) →
 * deduplicate → admit (group: the sender is a member) → sequence → store → (then the caller
 * acknowledges) → deliver to every device of the audience, on every node. A send that reaches a node
 * that does not order its conversation is handed to the node that does.
 */
final class MessagePipeline {

    private static final Logger LOG = LoggerFactory.getLogger(MessagePipeline.class);

    private final UserDirectory users;
    private final ConversationSequencer sequencer;
    private final Admission audiences;
    private final EnvelopeDelivery delivery;
    private final OwnerForwarding forwarding;

    MessagePipeline(UserDirectory users, ConversationSequencer sequencer, Admission audiences,
                    EnvelopeDelivery delivery, OwnerForwarding forwarding) {
        this.users = users;
        this.sequencer = sequencer;
        this.audiences = audiences;
        this.delivery = delivery;
        this.forwarding = forwarding;
    }

    CompletionStage<SendOutcome> sendDirect(ClientIdentity sender, UUID recipient, OutgoingMessage message) {
        return users.exists(recipient).thenCompose(exists -> {
            if (!exists) {
                return CompletableFuture.completedFuture(new SendOutcome.Refused(SendOutcome.Reason.UNKNOWN_RECIPIENT,
                        "there is no user " + recipient + ": check the recipient's id"));
            }
            return sequence(sender, new Submission(ConversationId.direct(sender.userId(), recipient).value(),
                    sender.userId(), recipient, null, message.clientMsgId(), message.text(), null));
        });
    }

    CompletionStage<SendOutcome> sendToGroup(ClientIdentity sender, UUID groupId, OutgoingMessage message) {
        return sequence(sender, new Submission(ConversationId.group(groupId).value(), sender.userId(), null, groupId,
                message.clientMsgId(), message.text(), null));
    }

    /** A system message (a membership change) into a group's history, sequenced like any message. */
    CompletionStage<SequencerResult> post(Submission system) {
        return sequencer.submit(system, audiences).thenCompose(result -> result instanceof SequencerResult.OwnedBy owner
                ? forwarding.forward(owner.node(), system)
                : CompletableFuture.completedFuture(result));
    }

    private CompletionStage<SendOutcome> sequence(ClientIdentity sender, Submission submission) {
        return post(submission).thenApply(result -> outcome(sender, result));
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
            case NO_SUCH_GROUP -> new SendOutcome.Refused(SendOutcome.Reason.UNKNOWN_GROUP, failed.reason());
            case NOT_A_MEMBER -> new SendOutcome.Refused(SendOutcome.Reason.NOT_A_MEMBER, failed.reason());
            case STORE_UNAVAILABLE, OWNED_ELSEWHERE -> new SendOutcome.Refused(SendOutcome.Reason.NOT_STORED, failed.reason());
        };
    }
}
