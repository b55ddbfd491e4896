package dev.parley.broker.receipts;

import dev.parley.broker.DaemonThreads;
import com.datastax.oss.driver.api.core.CqlSession;
import com.hivemq.extension.sdk.api.client.ClientContext;
import dev.parley.broker.topics.PublishDispatch;
import dev.parley.protocol.Topic;
import dev.parley.broker.nodes.AllNodes;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.Watermarks;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import dev.parley.broker.groups.Rosters;

/** Receipts (1:1 and group), assembled: what each client connection gets. */
public final class ReceiptsFeature implements AutoCloseable {

    private final GroupReceiptDigest groups;
    private final DeliveredReceipts delivered;
    private final ReadMarkHandler readMarks;

    public ReceiptsFeature(CqlSession session, String keyspace, MessageStore messages, Rosters rosters,
                           Duration ackTimeout, AllNodes nodes, Clock clock) {
        Watermarks watermarks = new Watermarks(session, keyspace);
        ReceiptPublisher publisher = new ReceiptPublisher(nodes);
        this.groups = new GroupReceiptDigest(watermarks, rosters, publisher, clock,
                Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("parley-group-receipts")));
        this.delivered = new DeliveredReceipts(watermarks, publisher, groups, clock);
        this.readMarks = new ReadMarkHandler(messages, watermarks, publisher, rosters, groups, clock, ackTimeout);
    }

    @Override
    public void close() {
        groups.close();
    }

    /** Delivered receipts: what each client connection gets (they live and die with the connection). */
    public void initialize(ClientContext client) {
        DeliveryTracker tracker = new DeliveryTracker(delivered);
        client.addPublishOutboundInterceptor(tracker);
        client.addPubackInboundInterceptor(tracker);
    }

    /** Read marks, on the device's own receipts topic. */
    public void register(PublishDispatch.Builder topics) {
        topics.on(Topic.UserReceipts.class, readMarks);
    }
}
