package dev.parley.broker.messages;

import dev.parley.store.messages.StoredMessage;

/** What became of a submission. */
sealed interface SequencerResult {

    /** Newly stored at its seq: acknowledge, then deliver. */
    record Stored(StoredMessage message) implements SequencerResult {
    }

    /** A retry of a send stored before: acknowledge with the original; deliver nothing new. */
    record Duplicate(StoredMessage original) implements SequencerResult {
    }

    /** Another node orders this conversation now: hand the send to it. */
    record OwnedBy(String node) implements SequencerResult {
    }

    /** Not stored; {@code reason} is fit for the client's PUBACK reason string. */
    record Failed(Kind kind, String reason) implements SequencerResult {
    }

    enum Kind {
        /** The store did not confirm the write (or a read it needed) in time. */
        STORE_UNAVAILABLE,
        /** Another broker node assigns this conversation's sequence numbers right now. */
        OWNED_ELSEWHERE,
        /** The client reused a clientMsgId for a different message. */
        CLIENT_MSG_ID_REUSED,
        /** There is no such group. */
        NO_SUCH_GROUP,
        /** The sender is not a member of the group (any more). */
        NOT_A_MEMBER
    }
}
