package dev.parley.broker.topics;

import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.Topic;

/**
 * What a feature does with a device's publish to one kind of Parley topic. {@link PublishDispatch} has
 * already parsed the topic, identified the device and checked that Parley's topic rules allow it.
 */
@FunctionalInterface
public interface TopicPublishHandler<T extends Topic> {

    void handle(ClientIdentity device, T topic, PublishInboundInput input, PublishInboundOutput output);
}
