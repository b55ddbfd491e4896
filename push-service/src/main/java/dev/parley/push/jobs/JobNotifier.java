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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns one push job into notifications: recipients with a device online are skipped, every push
 * target of the others gets one notification (sender's display name, preview, unread badge), sent
 * through {@link Deliveries}. The stage completes when every recipient is handled, and fails when
 * that cannot be decided now (a store unavailable), leaving the job to be taken again.
 */
final class JobNotifier {

    private final OnlineUsers online;
    private final PushTargets targets;
    private final SenderNames names;
    private final Watermarks watermarks;
    private final Deliveries deliveries;
    private final PushMetrics metrics;
    private final PushConfig.Notification content;
    private final Duration maxAge;
    private final Clock clock;

    JobNotifier(OnlineUsers online, PushTargets targets, SenderNames names, Watermarks watermarks,
                Deliveries deliveries, PushMetrics metrics, PushConfig.Notification content, Duration maxAge,
                Clock clock) {
        this.online = online;
        this.targets = targets;
        this.names = names;
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
        CompletableFuture<String> title = names.of(job.from()).toCompletableFuture();
        return readMarks.thenCombine(title, (marks, name) -> {
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            byUser.forEach((user, devices) -> {
                int unread = unread(job.seq(), marks.getOrDefault(user, 0L));
                for (PushTargets.Target device : devices) {
                    sends.add(deliveries.deliver(job, user, device, notification(job, name, unread, device))
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

    private PushNotification notification(PushJob job, String senderName, int unread, PushTargets.Target device) {
        String body = content.preview() && job.preview() != null && !job.preview().isBlank()
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
        return new PushNotification(device.token(), senderName, body, data, job.conversationId(), unread);
    }
}
