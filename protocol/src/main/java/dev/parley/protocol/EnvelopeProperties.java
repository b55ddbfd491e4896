package dev.parley.protocol;

/**
 * MQTT 5 user properties on every envelope the broker delivers, so that the broker (and a client)
 * can tell conversation, place and sender without parsing the JSON payload.
 */
public final class EnvelopeProperties {

    public static final String CONVERSATION = "parley-conversation";
    public static final String SEQ = "parley-seq";
    public static final String FROM = "parley-from";

    private EnvelopeProperties() {
    }
}
