package dev.parley.push.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What push-service counts, at /q/metrics: {@code parley_push_notifications_total{outcome}} per
 * (message, device) decision, {@code parley_push_dead_letters_total} for notifications given up after
 * their last attempt, {@code parley_push_jobs_total{outcome}} per stream entry, and FCM's
 * availability: {@code parley_push_fcm_paused} (1 while every send pauses) and
 * {@code parley_push_fcm_pauses_total}.
 */
final class PushMetrics {

    private final Counter sent;
    private final Counter logged;
    private final Counter duplicate;
    private final Counter tokenRemoved;
    private final Counter rejected;
    private final Counter retried;
    private final Counter unreachable;
    private final Counter unavailable;
    private final Counter fcmPauses;
    private final AtomicInteger fcmPausedNow = new AtomicInteger();
    private final Counter skippedOnline;
    private final Counter deadLetters;
    private final Counter jobsDone;
    private final Counter jobsStale;
    private final Counter jobsMalformed;
    private final Counter jobsReclaimed;
    private final Counter jobsTrimmed;

    PushMetrics(MeterRegistry registry) {
        String notifications = "parley.push.notifications";
        String description = "Notifications per (message, device) by outcome";
        sent = Counter.builder(notifications).tag("outcome", "sent").description(description).register(registry);
        logged = Counter.builder(notifications).tag("outcome", "logged").description(description).register(registry);
        duplicate = Counter.builder(notifications).tag("outcome", "duplicate").description(description).register(registry);
        tokenRemoved = Counter.builder(notifications).tag("outcome", "token_removed").description(description)
                .register(registry);
        rejected = Counter.builder(notifications).tag("outcome", "rejected").description(description).register(registry);
        retried = Counter.builder(notifications).tag("outcome", "retried").description(description).register(registry);
        unreachable = Counter.builder(notifications).tag("outcome", "fcm_unreachable").description(description)
                .register(registry);
        unavailable = Counter.builder(notifications).tag("outcome", "fcm_unavailable").description(description)
                .register(registry);
        fcmPauses = Counter.builder("parley.push.fcm.pauses")
                .description("Times FCM answered unavailable (503, 429) or was unreachable and every send paused")
                .register(registry);
        Gauge.builder("parley.push.fcm.paused", fcmPausedNow, AtomicInteger::get)
                .description("1 while sending to FCM is paused because FCM is unavailable, else 0")
                .strongReference(true)
                .register(registry);
        skippedOnline = Counter.builder("parley.push.recipients.online")
                .description("Recipients not notified because a device of theirs was online").register(registry);
        deadLetters = Counter.builder("parley.push.dead.letters")
                .description("Notifications given up after their last attempt and written to the dead-letter stream")
                .register(registry);
        String jobs = "parley.push.jobs";
        String jobsDescription = "Push jobs taken from the stream, by outcome";
        jobsDone = Counter.builder(jobs).tag("outcome", "done").description(jobsDescription).register(registry);
        jobsStale = Counter.builder(jobs).tag("outcome", "stale").description(jobsDescription).register(registry);
        jobsMalformed = Counter.builder(jobs).tag("outcome", "malformed").description(jobsDescription).register(registry);
        jobsReclaimed = Counter.builder(jobs).tag("outcome", "reclaimed").description(jobsDescription).register(registry);
        jobsTrimmed = Counter.builder(jobs).tag("outcome", "trimmed").description(jobsDescription).register(registry);
    }

    void sent() {
        sent.increment();
    }

    void logged() {
        logged.increment();
    }

    void duplicate() {
        duplicate.increment();
    }

    void tokenRemoved() {
        tokenRemoved.increment();
    }

    void rejected() {
        rejected.increment();
    }

    void retried() {
        retried.increment();
    }

    void unreachable() {
        unreachable.increment();
    }

    void unavailable() {
        unavailable.increment();
    }

    void fcmPaused() {
        fcmPauses.increment();
        fcmPausedNow.set(1);
    }

    void fcmResumed() {
        fcmPausedNow.set(0);
    }

    void skippedOnline(int recipients) {
        skippedOnline.increment(recipients);
    }

    void deadLettered() {
        deadLetters.increment();
    }

    void jobDone() {
        jobsDone.increment();
    }

    void jobStale() {
        jobsStale.increment();
    }

    void jobMalformed() {
        jobsMalformed.increment();
    }

    void jobReclaimed() {
        jobsReclaimed.increment();
    }

    void jobTrimmed() {
        jobsTrimmed.increment();
    }
}
