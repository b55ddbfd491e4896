package dev.parley.client.messages;

import dev.parley.protocol.Envelope;
import dev.parley.protocol.Payloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The messages this device holds, per conversation, ordered by the server's seq, in one append-only
 * JSON-lines file per conversation (so history shows offline and survives restarts). An envelope that
 * arrives twice (a live delivery and a catch-up page, or a retried send's echo) is kept once: the
 * conversation's seq is the key.
 *
 * <p>Thread-safe.
 */
public final class MessageStore implements AutoCloseable {

    private final Path folder;
    private final Map<String, NavigableMap<Long, Envelope>> conversations = new HashMap<>();
    private final Map<String, FileChannel> files = new HashMap<>();

    private MessageStore(Path folder) {
        this.folder = folder;
    }

    public static MessageStore open(Path folder) {
        MessageStore store = new MessageStore(folder);
        store.load();
        return store;
    }

    /** Keeps the envelope; false if this device already held that seq of that conversation. */
    public synchronized boolean add(Envelope envelope) {
        NavigableMap<Long, Envelope> messages = conversations.computeIfAbsent(envelope.conversationId(), c -> new TreeMap<>());
        if (messages.containsKey(envelope.seq())) {
            return false;
        }
        append(envelope);
        messages.put(envelope.seq(), envelope);
        return true;
    }

    /**
     * The catch-up cursor of a conversation: the highest seq up to which this device holds every message.
     * A gap (a live message overtook a catch-up page, or a lost delivery) keeps the cursor below it, so the
     * next catch-up fills it. A group member's history starts after their join, so a group's run is counted
     * from the first seq held; a direct conversation's from 1.
     */
    public synchronized long cursor(String conversationId) {
        NavigableMap<Long, Envelope> messages = conversations.get(conversationId);
        if (messages == null || messages.isEmpty()) {
            return 0;
        }
        long expected = conversationId.startsWith("g:") ? messages.firstKey() : 1;
        if (messages.firstKey() != expected) {
            return 0;
        }
        for (long seq : messages.keySet()) {
            if (seq != expected) {
                break;
            }
            expected++;
        }
        return expected - 1;
    }

    /** Every conversation's cursor, for a catch-up request. */
    public synchronized Map<String, Long> cursors() {
        Map<String, Long> cursors = new HashMap<>();
        for (String conversation : conversations.keySet()) {
            cursors.put(conversation, cursor(conversation));
        }
        return cursors;
    }

    /** A conversation's messages, oldest first. */
    public synchronized List<Envelope> messages(String conversationId) {
        NavigableMap<Long, Envelope> messages = conversations.get(conversationId);
        return messages == null ? List.of() : List.copyOf(messages.values());
    }

    /** The conversations this device holds, the one with the newest message first. */
    public synchronized List<ConversationSummary> conversations() {
        List<ConversationSummary> summaries = new ArrayList<>();
        conversations.forEach((id, messages) -> {
            if (!messages.isEmpty()) {
                summaries.add(new ConversationSummary(id, messages.lastEntry().getValue(), messages.size()));
            }
        });
        summaries.sort(Comparator.comparing((ConversationSummary s) -> s.last().sentAt()).reversed());
        return summaries;
    }

    @Override
    public synchronized void close() {
        for (FileChannel channel : files.values()) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway; every line was written before it was counted as held
            }
        }
        files.clear();
    }

    private void load() {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> list = Files.list(folder)) {
            for (Path file : list.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Envelope envelope;
                    try {
                        envelope = Payloads.fromJson(line.getBytes(StandardCharsets.UTF_8), Envelope.class);
                    } catch (IllegalArgumentException e) {
                        continue; // a line cut short by a crash: catch-up fetches that message again
                    }
                    conversations.computeIfAbsent(envelope.conversationId(), c -> new TreeMap<>())
                            .putIfAbsent(envelope.seq(), envelope);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the message store " + folder, e);
        }
    }

    private void append(Envelope envelope) {
        try {
            FileChannel channel = files.get(envelope.conversationId());
            if (channel == null) {
                Files.createDirectories(folder);
                channel = FileChannel.open(folder.resolve(fileName(envelope.conversationId())),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                files.put(envelope.conversationId(), channel);
            }
            byte[] line = (new String(Payloads.toJson(envelope), StandardCharsets.UTF_8) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            // No fsync per message: a message lost from this cache in a power cut is fetched again by catch-up.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the message store " + folder, e);
        }
    }

    /** dm:a:b → dm_a_b.jsonl (no colons in file names, for file systems that refuse them). */
    private static String fileName(String conversationId) {
        return conversationId.replace(':', '_') + ".jsonl";
    }
}
