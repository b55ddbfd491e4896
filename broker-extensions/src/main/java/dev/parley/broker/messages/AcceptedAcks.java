package dev.parley.broker.messages;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.interceptor.puback.PubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackOutboundOutput;
import com.hivemq.extension.sdk.api.packets.general.ModifiableUserProperties;
import dev.parley.protocol.EnvelopeProperties;
import dev.parley.store.messages.StoredMessage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts the stored message's id, conversation and seq on the PUBACK of an accepted send, so the sending
 * device knows its message's place from the acknowledgement (a retry learns the original's). One
 * instance per connection: what it holds goes away with the connection.
 */
final class AcceptedAcks implements PubackOutboundInterceptor {

    private record Accepted(StoredMessage message, boolean duplicate) {
    }

    private final Map<Integer, Accepted> byPacketId = new ConcurrentHashMap<>();

    /** Called before the publish is acknowledged. */
    void accepted(int packetId, StoredMessage message, boolean duplicate) {
        byPacketId.put(packetId, new Accepted(message, duplicate));
    }

    @Override
    public void onOutboundPuback(@NotNull PubackOutboundInput input, @NotNull PubackOutboundOutput output) {
        Accepted accepted = byPacketId.remove(input.getPubackPacket().getPacketIdentifier());
        if (accepted == null) {
            return;
        }
        ModifiableUserProperties properties = output.getPubackPacket().getUserProperties();
        properties.addUserProperty(EnvelopeProperties.MESSAGE_ID, accepted.message().messageId().toString());
        properties.addUserProperty(EnvelopeProperties.CONVERSATION, accepted.message().conversationId());
        properties.addUserProperty(EnvelopeProperties.SEQ, Long.toString(accepted.message().seq()));
        if (accepted.duplicate()) {
            properties.addUserProperty(EnvelopeProperties.DUPLICATE, "true");
        }
    }
}
