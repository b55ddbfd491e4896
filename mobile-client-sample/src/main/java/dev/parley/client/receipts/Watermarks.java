package dev.parley.client.receipts;

/**
 * How far the other side of a conversation got: every message up to {@code deliveredUpTo} reached one
 * of their devices, every message up to {@code readUpTo} was read. For a group: the lowest over the
 * members heard from (a message counts as delivered/read when everyone got it).
 */
public record Watermarks(long deliveredUpTo, long readUpTo) {

    public static final Watermarks NONE = new Watermarks(0, 0);

    /** Watermarks only move forward: a late, older receipt never lowers them. */
    public Watermarks merge(Watermarks other) {
        return new Watermarks(Math.max(deliveredUpTo, other.deliveredUpTo), Math.max(readUpTo, other.readUpTo));
    }

    /** The tick of a stored message with this seq. Read implies delivered. */
    public Tick tickOf(long seq) {
        if (readUpTo >= seq) {
            return Tick.READ;
        }
        return deliveredUpTo >= seq ? Tick.DELIVERED : Tick.SENT;
    }
}
