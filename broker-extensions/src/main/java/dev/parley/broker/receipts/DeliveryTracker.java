package dev.parley.broker.receipts;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.interceptor.puback.PubackInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackInboundInput;
import com.hivemq.extension.sdk.api.interceptor.puback.parameter.PubackInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.packets.general.UserProperties;
import com.hivemq.extension.sdk.api.packets.puback.PubackPacket;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.client.parameter.ClientInformation;
import dev.parley.broker.auth.ConnectionIdentity;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.EnvelopeProperties;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "Delivered": a recipient's device acknowledged (PUBACK) the envelope of a message. The outbound
 * interceptor remembers which envelope went out under which packet id; the PUBACK interceptor turns
 * the acknowledgement into a delivered watermark. One instance per client connection, so what it
 * remembers goes away with the connection. Its map is made at the first envelope the connection gets:
 * an idle connection carries only this object (memory per idle connection is a measured target).
 */
final class DeliveryTracker implements PublishOutboundInterceptor, PubackInboundInterceptor {

    private record InFlight(ConversationId conversation, long seq) {
    }

    /** This connection's user, parsed from its client id once, at the first publish or acknowledgement. */
    private record Reader(UUID id, String text) {
    }

    private volatile Map<Integer, InFlight> inFlight;
    private volatile Reader reader;
    private final DeliveredReceipts receipts;

    DeliveryTracker(DeliveredReceipts receipts) {
        this.receipts = receipts;
    }

    @Override
    public void onOutboundPublish(@NotNull PublishOutboundInput input, @NotNull PublishOutboundOutput output) {
        UserProperties properties = input.getPublishPacket().getUserProperties();
        Optional<String> conversation = properties.getFirst(EnvelopeProperties.CONVERSATION);
        Optional<String> seq = properties.getFirst(EnvelopeProperties.SEQ);
        Optional<String> from = properties.getFirst(EnvelopeProperties.FROM);
        if (conversation.isEmpty() || seq.isEmpty() || from.isEmpty()
                || input.getPublishPacket().getQos().getQosNumber() == 0) {
            return;
        }
        // The properties are the extension's own (EnvelopeDelivery sets them): no device's publish reaches a
        // device as it was sent (sends, receipts, typing and sync requests are handled, never delivered;
        // presence goes to services only), so they are used as they are, without parsing ids per publish.
        ConversationId id = new ConversationId(conversation.get());
        Reader me = reader(input.getClientInformation());
        // Only the recipients' devices produce "delivered"; the sender's own copies do not. (Group envelopes
        // reach members only, so a member's acknowledgement needs no roster check here.)
        if (id.isDirect() && !id.hasParticipant(me.text()) || from.get().equals(me.text())) {
            return;
        }
        inFlight().put(input.getPublishPacket().getPacketId(), new InFlight(id, Long.parseLong(seq.get())));
    }

    @Override
    public void onInboundPuback(@NotNull PubackInboundInput input, @NotNull PubackInboundOutput output) {
        PubackPacket puback = input.getPubackPacket();
        Map<Integer, InFlight> tracked = inFlight;
        InFlight delivered = tracked == null ? null : tracked.remove(puback.getPacketIdentifier());
        if (delivered == null || puback.getReasonCode() != AckReasonCode.SUCCESS
                && puback.getReasonCode() != AckReasonCode.NO_MATCHING_SUBSCRIBERS) {
            return;
        }
        receipts.delivered(delivered.conversation(), reader(input.getClientInformation()).id(), delivered.seq());
    }

    private Map<Integer, InFlight> inFlight() {
        Map<Integer, InFlight> tracked = inFlight;
        if (tracked == null) {
            synchronized (this) {
                if (inFlight == null) {
                    inFlight = new ConcurrentHashMap<>();
                }
                tracked = inFlight;
            }
        }
        return tracked;
    }

    /** Racing first calls may both parse: the same value, so either one may stay. */
    private Reader reader(ClientInformation client) {
        Reader known = reader;
        if (known == null) {
            UUID id = ConnectionIdentity.of(client).userId();
            known = new Reader(id, id.toString());
            reader = known;
        }
        return known;
    }
}
