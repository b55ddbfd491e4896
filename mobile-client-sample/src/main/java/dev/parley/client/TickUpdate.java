package dev.parley.client;

import dev.parley.client.receipts.Tick;

/**
 * One of my messages changed its tick. {@code seq} is 0 while the server's place for it is not known
 * yet (queued, or just confirmed before its envelope came back).
 */
public record TickUpdate(String conversationId, String clientMsgId, long seq, Tick tick) {
}
