package dev.parley.broker.receipts;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.groups.GroupReceipts;
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
        publish(to, Payloads.toJson(receipt), () -> "Receipt " + receipt.type() + " up to " + receipt.upToSeq() + " of "
                + receipt.conversationId() + " by " + receipt.by());
    }

    void publish(UUID to, GroupReceipts receipts) {
        publish(to, Payloads.toJson(receipts), () -> "Group receipts " + receipts.type() + " of "
                + receipts.conversationId() + " for " + receipts.marks().size() + " members");
    }

    private void publish(UUID to, byte[] json, Supplier<String> what) {
        String topic = new Topic.UserReceipts(to).name();
        publishService.publish(publishBuilder.get()
                        .topic(topic)
                        .qos(Qos.AT_LEAST_ONCE)
                        .payload(ByteBuffer.wrap(json))
                        .contentType("application/json")
                        .build())
                .whenComplete((v, error) -> {
                    if (error != null) {
                        LOG.warn("{} not published to {}: {}", what.get(), topic, error.toString());
                    }
                });
    }
}
