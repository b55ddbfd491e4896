package dev.parley.broker.receipts;

import dev.parley.broker.nodes.AllNodes;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.groups.GroupReceipts;
import dev.parley.protocol.Topic;
import java.util.List;
import java.util.UUID;

/**
 * Publishes a receipt to every device of a user, on {@code users/{user}/receipts}, on every broker node
 * (a sender's laptop may be connected to another node than the phone that sent).
 */
final class ReceiptPublisher {

    private final AllNodes nodes;

    ReceiptPublisher(AllNodes nodes) {
        this.nodes = nodes;
    }

    void publish(UUID to, Receipt receipt) {
        nodes.publish(new Topic.UserReceipts(to).name(), Payloads.toJson(receipt), () -> "Receipt " + receipt.type()
                + " up to " + receipt.upToSeq() + " of " + receipt.conversationId() + " by " + receipt.by());
    }

    /** A group's digest to every device of each member: serialized and announced to other nodes once. */
    void publish(List<UUID> members, GroupReceipts receipts) {
        nodes.publish(members.stream().map(member -> new Topic.UserReceipts(member).name()).toList(),
                Payloads.toJson(receipts), () -> "Group receipts " + receipts.type() + " of " + receipts.conversationId()
                        + " for " + receipts.marks().size() + " members");
    }
}
