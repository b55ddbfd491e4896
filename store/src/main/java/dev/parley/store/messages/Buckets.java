package dev.parley.store.messages;

/**
 * Messages are partitioned by (conversation, bucket); a bucket holds {@value #SIZE} consecutive
 * sequence numbers (1-1000 in bucket 0, 1001-2000 in bucket 1, ...).
 */
public final class Buckets {

    public static final int SIZE = 1000;

    private Buckets() {
    }

    public static long of(long seq) {
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1, got " + seq);
        }
        return (seq - 1) / SIZE;
    }

    public static long lastSeqOf(long bucket) {
        return (bucket + 1) * SIZE;
    }
}
