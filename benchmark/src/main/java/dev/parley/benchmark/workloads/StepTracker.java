package dev.parley.benchmark.workloads;

import dev.parley.benchmark.measure.LatencySummary;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One offered rate of a rate workload: message i is due at {@code start + i / rate} (open loop: the
 * schedule never waits for the system), is sent by {@code sender[i]}, and must reach every device of
 * its {@link Audience} exactly once (1:1: the recipient; groups: every member). Each delivery is a
 * latency sample counted from the due time, so a sender that falls behind shows up in them (no
 * coordinated omission).
 */
final class StepTracker {

    private final int step;
    private final long startNanos;
    private final double periodNanos;
    private final int[] sender;
    private final Audience audience;
    private final AtomicIntegerArray arrivals;
    private final Recorder latency = new Recorder(3);
    private final Recorder ack = new Recorder(3);
    private final Histogram latencySoFar = new Histogram(3);
    private final Histogram ackSoFar = new Histogram(3);
    /** Expected deliveries not made yet; {@link #allDelivered} completes when it reaches 0. */
    private final AtomicInteger undelivered;
    private final CompletableFuture<Void> allDelivered = new CompletableFuture<>();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder misrouted = new LongAdder();
    private final LongAdder echoes = new LongAdder();
    private final LongAdder ackErrors = new LongAdder();
    private final AtomicLong lastArrivalNanos = new AtomicLong();

    StepTracker(int step, long startNanos, int ratePerSecond, int[] sender, Audience audience) {
        this.step = step;
        this.startNanos = startNanos;
        this.periodNanos = 1e9 / ratePerSecond;
        this.sender = sender;
        this.audience = audience;
        // one counter per expected delivery: message i's slot s is at i × fanOut + s
        this.arrivals = new AtomicIntegerArray(Math.multiplyExact(sender.length, audience.fanOut()));
        this.undelivered = new AtomicInteger(arrivals.length());
        if (arrivals.length() == 0) {
            allDelivered.complete(null);
        }
    }

    int step() {
        return step;
    }

    int messages() {
        return sender.length;
    }

    int sender(int message) {
        return sender[message];
    }

    /** Deliveries this step must make: messages × receivers per message. */
    int expected() {
        return arrivals.length();
    }

    long dueNanos(int message) {
        return startNanos + (long) (message * periodNanos);
    }

    /** A message arrived at {@code device} (an index into the workload's devices). */
    void arrived(int message, int device, long nowNanos) {
        int slot = message < 0 || message >= sender.length ? -1 : audience.slot(message, device);
        if (message < 0 || message >= sender.length) {
            misrouted.increment();
        } else if (slot >= 0) {
            if (arrivals.incrementAndGet(message * audience.fanOut() + slot) == 1) {
                latency.recordValue(Math.max(0, (nowNanos - dueNanos(message)) / 1000));
                if (undelivered.decrementAndGet() == 0) {
                    allDelivered.complete(null);
                }
                lastArrivalNanos.accumulateAndGet(nowNanos, Math::max);
            } else {
                duplicates.increment();
            }
        } else if (device == sender[message]) {
            echoes.increment(); // Parley 1:1: the stored envelope also goes to the sender's own devices
        } else {
            misrouted.increment();
        }
    }

    void acknowledged(int message, long nowNanos, boolean error) {
        if (error) {
            ackErrors.increment();
        } else {
            ack.recordValue(Math.max(0, (nowNanos - dueNanos(message)) / 1000));
        }
    }

    /** Deliveries made (each expected one counted once). */
    int delivered() {
        return arrivals.length() - undelivered.get();
    }

    /** Completes when every expected delivery has been made. */
    CompletableFuture<Void> allDelivered() {
        return allDelivered;
    }

    /** Expected deliveries that never happened. */
    int lost() {
        int lost = 0;
        for (int i = 0; i < arrivals.length(); i++) {
            if (arrivals.get(i) == 0) {
                lost++;
            }
        }
        return lost;
    }

    int duplicates() {
        return (int) duplicates.sum();
    }

    int misrouted() {
        return (int) misrouted.sum();
    }

    int ackErrors() {
        return (int) ackErrors.sum();
    }

    long echoes() {
        return echoes.sum();
    }

    /** Deliveries per second from the first due time to the last arrival (or the schedule's end). */
    double deliveredPerSecond() {
        long end = Math.max(lastArrivalNanos.get(), dueNanos(messages() - 1));
        return delivered() / Math.max((end - startNanos) / 1e9, 1e-3);
    }

    /** All latencies recorded so far (a Recorder hands each value out once: they are kept here). */
    synchronized LatencySummary latency() {
        latencySoFar.add(latency.getIntervalHistogram());
        return LatencySummary.of(latencySoFar);
    }

    synchronized LatencySummary ack() {
        ackSoFar.add(ack.getIntervalHistogram());
        return LatencySummary.of(ackSoFar);
    }
}
