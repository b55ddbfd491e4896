package dev.parley.broker.receipts;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.Topic;
import java.nio.ByteBuffer;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes a receipt to every device of a user, on {@code users/{user}/receipts}. */
final class ReceiptPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiptPublisher.class);

    private final PublishService publishService;
    private final Supplier<PublishBuilder> publishBuilder;

    ReceiptPublisher(PublishService publishService, Supplier<PublishBuilder> publishBuilder) {
        this.publishService = publishService;
        this.publishBuilder = publishBuilder;
    }

    void publish(UUID to, Receipt receipt) {
        String topic = new Topic.UserReceipts(to).name();
        publishService.publish(publishBuilder.get()
                        .topic(topic)
                        .qos(Qos.AT_LEAST_ONCE)
                        .payload(ByteBuffer.wrap(Payloads.toJson(receipt)))
                        .contentType("application/json")
                        .build())
                .whenComplete((v, error) -> {
                    if (error != null) {
                        LOG.warn("Receipt {} up to {} of {} by {} not published to {}: {}", receipt.type(),
                                receipt.upToSeq(), receipt.conversationId(), receipt.by(), topic, error.toString());
                    }
                });
    }
}
