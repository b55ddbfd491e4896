package dev.parley.broker.auth;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import dev.parley.protocol.ClientIdentity;

/**
 * Applies {@link TopicPolicy} to one connection's PUBLISHes, will and SUBSCRIBEs. One instance per
 * connection (HiveMQ caches what the provider returns per client), holding the device parsed once.
 *
 * <p>What the client sees (HiveMQ CE 2025.5, IncomingPublishService): a refused QoS 1 PUBLISH gets a
 * PUBACK with the refusal's code and reason string, and then HiveMQ disconnects the client (DISCONNECT
 * 0x87 with its own reason string); a QoS 0 one is dropped before the same disconnect. A refused
 * subscription gets its code in the SUBACK (reason strings of one SUBSCRIBE are joined) and the
 * connection stays. A refused will refuses the CONNECT.
 */
final class TopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

    private final ClientIdentity me;

    TopicAuthorizer(ClientIdentity me) {
        this.me = me;
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        PublishPacket publish = input.getPublishPacket();
        if (publish instanceof WillPublishPacket) {
            // TokenAuthenticator has already refused any other will; this keeps the rule in one place if not.
            TopicPolicy.will(me, publish.getTopic(), publish.getRetain()).ifPresentOrElse(refusal -> {
                if (refusal.code() == ConnackReasonCode.RETAIN_NOT_SUPPORTED) {
                    // The disconnect variant is the one whose code reaches the CONNACK as 0x9A.
                    output.disconnectClient(DisconnectReasonCode.RETAIN_NOT_SUPPORTED, refusal.reason());
                } else {
                    output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, refusal.reason());
                }
            }, output::authorizeSuccessfully);
            return;
        }
        TopicPolicy.publish(me, publish.getTopic(), publish.getRetain()).ifPresentOrElse(
                refusal -> output.failAuthorization(refusal.code(), refusal.reason()),
                output::authorizeSuccessfully);
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        TopicPolicy.subscribe(me, input.getSubscription().getTopicFilter()).ifPresentOrElse(
                refusal -> output.failAuthorization(refusal.code(), refusal.reason()),
                output::authorizeSuccessfully);
    }

    /** For a client Parley did not authenticate (cannot happen while Parley is the only authenticator). */
    static final class DenyAll implements PublishAuthorizer, SubscriptionAuthorizer {
        static final String REASON = "this connection was not authenticated by Parley";

        @Override
        public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, REASON);
        }

        @Override
        public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, REASON);
        }
    }
}
