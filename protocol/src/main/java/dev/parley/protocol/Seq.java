package dev.parley.protocol;

/** Sequence numbers of messages in a conversation: 1, 2, 3, … without gaps. */
public final class Seq {

    /**
     * The largest seq a client may name (2^53 − 1, the largest integer a JSON number holds exactly in
     * JavaScript); larger values are refused, never wrapped or rounded.
     */
    public static final long MAX = 9_007_199_254_740_991L;

    private Seq() {
    }
}
