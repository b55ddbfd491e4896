package dev.parley.protocol;

/**
 * MQTT 5 user properties Parley sets: on every envelope the broker delivers (conversation, seq,
 * sender), so that broker and clients can tell them without parsing the JSON payload; and on the
 * PUBACK of an accepted send (message id, conversation, seq, and whether it was a retry of a send
 * stored before), so the sending device learns the message's place from the acknowledgement itself.
 */
public final class EnvelopeProperties {

    public static final String CONVERSATION = "parley-conversation";
    public static final String SEQ = "parley-seq";
    public static final String FROM = "parley-from";
    public static final String MESSAGE_ID = "parley-message-id";
    /** "true" on the PUBACK of a retry: the original was stored before; nothing new was stored. */
    public static final String DUPLICATE = "parley-duplicate";

    private EnvelopeProperties() {
    }
}
