package dev.parley.push.jobs;

import dev.parley.protocol.push.PushJob;
import dev.parley.push.sender.PushConfig;
import dev.parley.push.sender.PushNotification;
import dev.parley.push.targets.PushTargets;
import dev.parley.store.messages.Watermarks;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns one push job into notifications: recipients with a device online are skipped, every push
 * target of the others gets one notification (sender's display name, for a group also the group's
 * name; preview; unread badge), sent
 * through {@link Deliveries}. The stage completes when every recipient is handled, and fails when
 * that cannot be decided now (a store unavailable), leaving the job to be taken again.
 */
final class JobNotifier {

    /** The title when the sender's name cannot be read. */
    static final String UNKNOWN_SENDER = "New message";

    private final OnlineUsers online;
    private final PushTargets targets;
    private final CachedNames userNames;
    private final CachedNames groupNames;
    private final Watermarks watermarks;
    private final Deliveries deliveries;
    private final PushMetrics metrics;
    private final PushConfig.Notification content;
    private final Duration maxAge;
    private final Clock clock;

    JobNotifier(OnlineUsers online, PushTargets targets, CachedNames userNames, CachedNames groupNames,
                Watermarks watermarks,
                Deliveries deliveries, PushMetrics metrics, PushConfig.Notification content, Duration maxAge,
                Clock clock) {
        this.online = online;
        this.targets = targets;
        this.userNames = userNames;
        this.groupNames = groupNames;
        this.watermarks = watermarks;
        this.deliveries = deliveries;
        this.metrics = metrics;
        this.content = content;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    CompletionStage<Void> handle(PushJob job) {
        if (job.sentAt().plus(maxAge).isBefore(clock.instant())) {
            metrics.jobStale();
            return CompletableFuture.completedFuture(null);
        }
        return online.among(job.recipients()).thenCompose(onlineNow -> {
            metrics.skippedOnline(onlineNow.size());
            List<UUID> offline = job.recipients().stream().distinct().filter(u -> !onlineNow.contains(u)).toList();
            if (offline.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            return targetsOf(offline).thenCompose(byUser -> notify(job, byUser));
        });
    }

    private CompletionStage<Map<UUID, List<PushTargets.Target>>> targetsOf(List<UUID> users) {
        Map<UUID, CompletableFuture<List<PushTargets.Target>>> lookups = new LinkedHashMap<>();
        for (UUID user : users) {
            lookups.put(user, targets.of(user).toCompletableFuture());
        }
        return CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new)).thenApply(v -> {
            Map<UUID, List<PushTargets.Target>> byUser = new LinkedHashMap<>();
            lookups.forEach((user, lookup) -> {
                if (!lookup.join().isEmpty()) {
                    byUser.put(user, lookup.join());
                }
            });
            return byUser;
        });
    }

    private CompletionStage<Void> notify(PushJob job, Map<UUID, List<PushTargets.Target>> byUser) {
        if (byUser.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // One read of the conversation's read watermarks serves every recipient's badge.
        CompletableFuture<Map<UUID, Long>> readMarks = watermarks.of(Watermarks.Kind.READ, job.conversationId())
                .toCompletableFuture();
        CompletableFuture<Heading> heading = heading(job).toCompletableFuture();
        return readMarks.thenCombine(heading, (marks, head) -> {
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            byUser.forEach((user, devices) -> {
                int unread = unread(job.seq(), marks.getOrDefault(user, 0L));
                for (PushTargets.Target device : devices) {
                    sends.add(deliveries.deliver(job, user, device, notification(job, head, unread, device))
                            .toCompletableFuture());
                }
            });
            return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
        }).thenCompose(all -> all);
    }

    /**
     * Messages after the recipient's read watermark, up to this one: the conversation's unread count
     * as this notification is sent (later notifications of a burst carry higher counts).
     */
    static int unread(long seq, long readUpTo) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, seq - readUpTo));
    }

    /**
     * Who the notification is from: the sender's display name, and for a group message also the group's
     * name, as a phone shows a group chat — title "Hiking club", text "Ada: see you at 8". Without a
     * group name (unknown, or the store did not answer) a group message reads like a direct one.
     */
    record Heading(String sender, Optional<String> group) {

        String title() {
            return group.orElse(sender);
        }

        String body(String text) {
            return group.isPresent() ? sender + ": " + text : text;
        }
    }

    private CompletionStage<Heading> heading(PushJob job) {
        CompletionStage<Optional<String>> sender = userNames.of(job.from());
        CompletionStage<Optional<String>> group = job.groupId() == null
                ? CompletableFuture.completedFuture(Optional.empty()) : groupNames.of(job.groupId());
        return sender.thenCombine(group, (s, g) -> new Heading(s.orElse(UNKNOWN_SENDER), g));
    }

    private PushNotification notification(PushJob job, Heading heading, int unread, PushTargets.Target device) {
        String text = content.preview() && job.preview() != null && !job.preview().isBlank()
                ? job.preview() : content.hiddenPreviewText();
        Map<String, String> data = new LinkedHashMap<>();
        data.put("conversationId", job.conversationId());
        data.put("seq", Long.toString(job.seq()));
        data.put("from", job.from().toString());
        data.put("messageId", job.messageId().toString());
        if (job.groupId() != null) {
            data.put("groupId", job.groupId().toString());
        }
        data.put("unread", Integer.toString(unread));
        return new PushNotification(device.token(), heading.title(), heading.body(text), data, job.conversationId(),
                unread);
    }
}
