package dev.parley.push.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Whether pushes may go to FCM now: a circuit breaker for the endpoint as a whole. An answer that says
 * FCM takes no message at the moment (503, 429, or no answer at all) pauses every send, not just the
 * one that got it: retrying each notification on its own would spend their attempts on an outage that
 * is nobody's fault, and would hammer an endpoint that asked for quiet. While paused, sends wait here
 * without using an attempt; after the pause (FCM's Retry-After, or {@code backoff} doubled per failed
 * probe, at most its maximum) one waiting send goes alone as a probe. Its answer decides: FCM answered
 * it (accepted, or refused that one message) → everything waiting goes; FCM still unavailable → the
 * next, longer pause.
 *
 * <p>Answers to sends that left before the current pause began are old news: they neither end a pause
 * nor start a new one after a probe got through, so a burst of in-flight failures pauses once.
 */
final class FcmPause {

    private static final Logger LOG = Logger.getLogger(FcmPause.class);

    /** Leave to send one notification; the send reports FCM's answer back with it exactly once. */
    static final class Ticket {

        private final long pause;
        private final boolean probe;
        private boolean reported;

        private Ticket(long pause, boolean probe) {
            this.pause = pause;
            this.probe = probe;
        }

        /** This send goes alone, to find out whether FCM is back. */
        boolean probe() {
            return probe;
        }

        private synchronized boolean report() {
            if (reported) {
                return false;
            }
            reported = true;
            return true;
        }
    }

    private enum State { SENDING, PAUSED, PROBING }

    /** A send waiting for the pause to end; completed with empty when its deadline passed first. */
    private record Waiter(Instant deadline, CompletableFuture<Optional<Ticket>> granted) {
    }

    private final Backoff backoff;
    private final ScheduledExecutorService timer;
    private final PushMetrics metrics;
    private final Clock clock;
    private final Queue<Waiter> waiting = new ArrayDeque<>();

    // Guarded by this.
    private State state = State.SENDING;
    /** How many pauses began so far; a ticket carries the number current when it was issued. */
    private long pauses;
    private int failedProbes;
    /** The pause is over but nobody waits: the next send is the probe. */
    private boolean probeDue;
    private long pausedAtNanos;
    private String cause;
    /** The earliest next probe FCM asked for (Retry-After), as System.nanoTime. */
    private long notBeforeNanos;
    private long probeAtNanos;
    private ScheduledFuture<?> probeTimer;

    FcmPause(Backoff backoff, ScheduledExecutorService timer, PushMetrics metrics, Clock clock) {
        this.backoff = backoff;
        this.timer = timer;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Completes with a ticket when a send may go: at once unless paused. A send still waiting at
     * {@code deadline} (checked whenever a probe is due) gets empty instead and is not sent.
     */
    CompletionStage<Optional<Ticket>> permit(Instant deadline) {
        synchronized (this) {
            if (state == State.SENDING) {
                return CompletableFuture.completedFuture(Optional.of(new Ticket(pauses, false)));
            }
            if (state == State.PAUSED && probeDue) {
                probeDue = false;
                state = State.PROBING;
                return CompletableFuture.completedFuture(Optional.of(new Ticket(pauses, true)));
            }
            Waiter waiter = new Waiter(deadline, new CompletableFuture<>());
            waiting.add(waiter);
            return waiter.granted();
        }
    }

    /** FCM answered this send (accepted it, or refused this one message): the endpoint works. */
    void answered(Ticket ticket) {
        if (!ticket.report()) {
            return;
        }
        List<Waiter> released;
        long number;
        synchronized (this) {
            if (state == State.SENDING || !ticket.probe || ticket.pause != pauses) {
                return;
            }
            state = State.SENDING;
            cancelTimer();
            released = new ArrayList<>(waiting);
            waiting.clear();
            number = pauses;
            metrics.fcmResumed();
            LOG.infof("FCM answers again: pushes resume after a pause of %s (failed probes: %d; it began with: %s); "
                            + "%d waiting notifications go out now", Duration.ofNanos(System.nanoTime() - pausedAtNanos)
                            .withNanos(0), failedProbes, cause, released.size());
        }
        released.forEach(waiter -> waiter.granted().complete(Optional.of(new Ticket(number, false))));
    }

    /** FCM answered this send that it takes no message now, or could not be reached. */
    void unavailable(Ticket ticket, String reason, Optional<Duration> retryAfter) {
        if (!ticket.report()) {
            return;
        }
        long now = System.nanoTime();
        synchronized (this) {
            retryAfter.ifPresent(wait -> notBeforeNanos = Math.max(notBeforeNanos, now + wait.toNanos()));
            switch (state) {
                case SENDING -> {
                    if (ticket.pause != pauses) {
                        return; // sent before the last pause, and a probe has got through since
                    }
                    pauses++;
                    failedProbes = 0;
                    probeDue = false;
                    state = State.PAUSED;
                    pausedAtNanos = now;
                    cause = reason;
                    metrics.fcmPaused();
                    Duration wait = schedule(now, backoff.beforeRetry(1, retryAfter));
                    LOG.warnf("FCM is unavailable (%s; Retry-After %s): every push pauses; one notification probes "
                                    + "FCM in %s, then after pauses doubling up to %s (or FCM's Retry-After) until "
                                    + "FCM answers; waiting uses up no attempt", reason,
                            retryAfter.map(Duration::toString).orElse("not given"), wait, backoff.max());
                }
                case PAUSED -> {
                    // An answer to a send from before the pause: FCM may ask for a longer one.
                    if (notBeforeNanos > (probeDue ? now : probeAtNanos)) {
                        cancelTimer();
                        probeDue = false;
                        schedule(now, Duration.ZERO);
                    }
                }
                case PROBING -> {
                    if (ticket.probe && ticket.pause == pauses) {
                        failedProbes++;
                        state = State.PAUSED;
                        Duration wait = schedule(now, backoff.beforeRetry(failedProbes + 1, retryAfter));
                        LOG.debugf("FCM still unavailable (%s): next probe in %s", reason, wait);
                    }
                }
            }
        }
    }

    /** The ticket was not used for a send after all (already sent, or Redis failed): a probe passes on. */
    void unused(Ticket ticket) {
        if (!ticket.report() || !ticket.probe) {
            return;
        }
        synchronized (this) {
            if (state != State.PROBING || ticket.pause != pauses) {
                return;
            }
            state = State.PAUSED;
        }
        probeNow();
    }

    synchronized boolean paused() {
        return state != State.SENDING;
    }

    /** Schedules the next probe after {@code wait}, or later when FCM asked for that; returns the wait. */
    private Duration schedule(long now, Duration wait) {
        long at = Math.max(now + wait.toNanos(), notBeforeNanos);
        probeAtNanos = at;
        probeTimer = timer.schedule(this::probeNow, at - now, TimeUnit.NANOSECONDS);
        return Duration.ofNanos(at - now);
    }

    private void cancelTimer() {
        if (probeTimer != null) {
            probeTimer.cancel(false);
            probeTimer = null;
        }
    }

    /** The pause is over: sends whose deadline has passed give up, the first of the others probes. */
    private void probeNow() {
        List<Waiter> expired = new ArrayList<>();
        Waiter probe;
        long number;
        synchronized (this) {
            if (state != State.PAUSED) {
                return;
            }
            probeTimer = null;
            Instant now = clock.instant();
            waiting.removeIf(waiter -> {
                if (waiter.deadline().isBefore(now)) {
                    expired.add(waiter);
                    return true;
                }
                return false;
            });
            probe = waiting.poll();
            if (probe == null) {
                probeDue = true;
            } else {
                state = State.PROBING;
            }
            number = pauses;
        }
        expired.forEach(waiter -> waiter.granted().complete(Optional.empty()));
        if (probe != null) {
            probe.granted().complete(Optional.of(new Ticket(number, true)));
        }
    }
}
