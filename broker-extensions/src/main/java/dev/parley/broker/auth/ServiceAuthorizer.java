package dev.parley.broker.auth;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import dev.parley.protocol.ServiceClient;

/**
 * Applies {@link TopicPolicy}'s service rules to one service connection: presence-bridge subscribes to
 * {@value TopicPolicy#PRESENCE_BRIDGE_SUBSCRIPTION} and publishes {@code presence/{userId}}, nothing else.
 */
final class ServiceAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

    private final ServiceClient service;

    ServiceAuthorizer(ServiceClient service) {
        this.service = service;
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        if (input.getPublishPacket() instanceof WillPublishPacket) {
            // TokenAuthenticator refuses a service's will at CONNECT; this keeps it so if that ever changes.
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "a service leaves no will");
            return;
        }
        TopicPolicy.servicePublish(service, input.getPublishPacket().getTopic()).ifPresentOrElse(
                refusal -> output.failAuthorization(refusal.code(), refusal.reason()),
                output::authorizeSuccessfully);
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        TopicPolicy.serviceSubscribe(service, input.getSubscription().getTopicFilter()).ifPresentOrElse(
                refusal -> output.failAuthorization(refusal.code(), refusal.reason()),
                output::authorizeSuccessfully);
    }
}
