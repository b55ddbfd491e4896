package dev.parley.broker.config;

import java.time.Duration;
import java.util.Objects;

/**
 * @param nodeId     this broker node's name in conversation leases and node-to-node forwarding
 * @param ackTimeout how long a sender's PUBACK may wait for the store before it gets an error
 */
public record MessagingSettings(String nodeId, Duration ackTimeout) {
    public MessagingSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
    }
}
