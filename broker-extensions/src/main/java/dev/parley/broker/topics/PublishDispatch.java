package dev.parley.broker.topics;

import com.hivemq.extension.sdk.api.annotations.NotNull;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import dev.parley.broker.auth.TopicPolicy;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.Topic;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one publish interceptor: parses the topic once, identifies the device, and hands the publish to
 * the feature that owns that kind of topic. HiveMQ calls publish interceptors before the authorizers,
 * so a publish Parley's topic rules refuse is left alone here: the authorizer answers it, with its
 * reason. Publishes to topics no feature handles (a device's presence) pass through unchanged.
 */
public final class PublishDispatch implements PublishInboundInterceptor {

    private final Map<Class<? extends Topic>, TopicPublishHandler<? extends Topic>> handlers;

    private PublishDispatch(Map<Class<? extends Topic>, TopicPublishHandler<? extends Topic>> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onInboundPublish(@NotNull PublishInboundInput input, @NotNull PublishInboundOutput output) {
        String name = input.getPublishPacket().getTopic();
        Optional<Topic> topic = Topic.parse(name);
        if (topic.isEmpty()) {
            return;
        }
        TopicPublishHandler<? extends Topic> handler = handlers.get(topic.get().getClass());
        if (handler == null) {
            return;
        }
        // A service connection (presence-bridge) is not a device: its publishes are the authorizer's alone.
        Optional<ClientIdentity> device = ClientIdentity.parse(input.getClientInformation().getClientId());
        if (device.isEmpty()
                || TopicPolicy.publish(device.get(), name, input.getPublishPacket().getRetain()).isPresent()) {
            return;
        }
        handle(handler, device.get(), topic.get(), input, output);
    }

    @SuppressWarnings("unchecked") // the map pairs each topic class with a handler of that class
    private static <T extends Topic> void handle(TopicPublishHandler<T> handler, ClientIdentity device, Topic topic,
                                                 PublishInboundInput input, PublishInboundOutput output) {
        handler.handle(device, (T) topic, input, output);
    }

    /** Collects the features' handlers, one per kind of topic. */
    public static final class Builder {
        private final Map<Class<? extends Topic>, TopicPublishHandler<? extends Topic>> handlers = new HashMap<>();

        public <T extends Topic> Builder on(Class<T> kind, TopicPublishHandler<T> handler) {
            if (handlers.putIfAbsent(kind, handler) != null) {
                throw new IllegalStateException("two handlers for " + kind.getSimpleName());
            }
            return this;
        }

        public PublishDispatch build() {
            return new PublishDispatch(handlers);
        }
    }
}
