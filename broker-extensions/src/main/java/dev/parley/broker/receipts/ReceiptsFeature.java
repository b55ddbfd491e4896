package dev.parley.broker.receipts;

import com.datastax.oss.driver.api.core.CqlSession;
import com.hivemq.extension.sdk.api.client.ClientContext;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.Watermarks;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/** Receipts for 1:1 chats, assembled: what each client connection gets. */
public final class ReceiptsFeature {

    private final DeliveredReceipts delivered;
    private final ReadReceiptInterceptor readReceipts;

    public ReceiptsFeature(CqlSession session, String keyspace, MessageStore messages, Duration ackTimeout,
                           PublishService publishService, Supplier<PublishBuilder> publishBuilder, Clock clock) {
        Watermarks watermarks = new Watermarks(session, keyspace);
        ReceiptPublisher publisher = new ReceiptPublisher(publishService, publishBuilder);
        this.delivered = new DeliveredReceipts(watermarks, publisher, clock);
        this.readReceipts = new ReadReceiptInterceptor(messages, watermarks, publisher, clock, ackTimeout);
    }

    /** Called from the client initializer for every connection. */
    public void initialize(ClientContext client) {
        DeliveryTracker tracker = new DeliveryTracker(delivered);
        client.addPublishOutboundInterceptor(tracker);
        client.addPubackInboundInterceptor(tracker);
        client.addPublishInboundInterceptor(readReceipts);
    }
}
