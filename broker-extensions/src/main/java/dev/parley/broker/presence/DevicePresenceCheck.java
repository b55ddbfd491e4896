package dev.parley.broker.presence;

import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import dev.parley.broker.topics.TopicPublishHandler;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.InvalidPayloadException;
import dev.parley.protocol.Topic;
import dev.parley.protocol.presence.DeviceStatus;
import dev.parley.protocol.presence.ReportAge;
import java.nio.ByteBuffer;

/**
 * A device's own presence publish passes to presence-bridge only if it is a {@link DeviceStatus}; anything
 * else gets PUBACK 0x99 with a reason string and reaches no one (bad input changes nothing). A valid one is
 * remembered by {@link ConnectedDevices} for a rebuild. CPU only.
 */
public final class DevicePresenceCheck implements TopicPublishHandler<Topic.DevicePresence> {

    private final ConnectedDevices connected;

    public DevicePresenceCheck(ConnectedDevices connected) {
        this.connected = connected;
    }

    @Override
    public void handle(ClientIdentity device, Topic.DevicePresence topic, PublishInboundInput input,
                       PublishInboundOutput output) {
        ByteBuffer payload = input.getPublishPacket().getPayload().orElse(ByteBuffer.allocate(0));
        try {
            DeviceStatus status = DeviceStatus.parse(payload.asReadOnlyBuffer());
            connected.announced(device.clientId(), status);
            // Counted down while the report waits for presence-bridge: it dates the report (ReportAge).
            output.getPublishPacket().setMessageExpiryInterval(ReportAge.EXPIRY.toSeconds());
        } catch (InvalidPayloadException e) {
            output.preventPublishDelivery(AckReasonCode.PAYLOAD_FORMAT_INVALID, e.getMessage());
        }
    }
}
