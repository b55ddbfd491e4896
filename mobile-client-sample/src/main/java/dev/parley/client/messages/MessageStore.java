package dev.parley.client.messages;

import dev.parley.protocol.Envelope;
import dev.parley.protocol.Payloads;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
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

    /** The groups' floors ({@link #floor}), one {@code conversationId=seq} line each, beside the conversations. */
    static final String FLOORS_FILE = "group-floors.properties";

    private final Path folder;
    private final Map<String, NavigableMap<Long, Envelope>> conversations = new HashMap<>();
    private final Map<String, FileChannel> files = new HashMap<>();
    /** Per group conversation, the seq after which this member's history starts (FLOORS_FILE). */
    private final Map<String, Long> floors = new HashMap<>();

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
     * The catch-up cursor of a conversation: the highest seq up to which this device holds every message it
     * can see. A gap (a live message overtook a catch-up page, or a lost delivery) keeps the cursor below it,
     * so the next catch-up fills it. A direct conversation is counted from seq 1. A group member sees the
     * history after their join ({@link #floor}): a group is counted from the seq after its floor, or from 1
     * while the floor is unknown — never from the first seq held, which may be a live delivery that came
     * before the messages between the join and it (the broker starts a group's catch-up at the join anyway,
     * so a cursor of 0 is exact, only costlier).
     */
    public synchronized long cursor(String conversationId) {
        long start = floors.getOrDefault(conversationId, 0L) + 1;
        NavigableMap<Long, Envelope> messages = conversations.get(conversationId);
        long expected = start;
        if (messages != null) {
            for (long seq : messages.tailMap(start, true).keySet()) {
                if (seq != expected) {
                    break;
                }
                expected++;
            }
        }
        return expected - 1;
    }

    /**
     * Records where this device's history of a group starts: the member's {@code joinedAfterSeq} from the
     * group's roster (the group's last seq when they joined; they see what follows). Replaces an earlier
     * floor (a member who left and was added again sees the history from the new join). Kept on disk.
     */
    public synchronized void floor(String conversationId, long joinedAfterSeq) {
        Long before = floors.put(conversationId, joinedAfterSeq);
        if (before == null || before != joinedAfterSeq) {
            writeFloors();
        }
    }

    /** Forgets a group's floor (the membership changed): its cursor counts from 1 until the floor is known again. */
    public synchronized void forgetFloor(String conversationId) {
        if (floors.remove(conversationId) != null) {
            writeFloors();
        }
    }

    public synchronized boolean knowsFloor(String conversationId) {
        return floors.containsKey(conversationId);
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
        loadFloors();
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

    private void loadFloors() {
        Path file = folder.resolve(FLOORS_FILE);
        if (!Files.exists(file)) {
            return;
        }
        Properties saved = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            saved.load(in);
        } catch (IOException e) {
            return; // unreadable: the floors are learnt again from the rosters (until then groups count from 1)
        }
        for (String conversation : saved.stringPropertyNames()) {
            try {
                floors.put(conversation, Long.parseLong(saved.getProperty(conversation).strip()));
            } catch (NumberFormatException ignored) {
                // a damaged line: that floor is learnt again
            }
        }
    }

    /** Written whole to a temporary file and moved over the old one, so a crash leaves one or the other. */
    private void writeFloors() {
        StringBuilder lines = new StringBuilder();
        floors.forEach((conversation, seq) -> lines.append(conversation.replace(":", "\\:")).append('=').append(seq).append('\n'));
        try {
            Files.createDirectories(folder);
            Path temporary = folder.resolve(FLOORS_FILE + ".tmp");
            Files.writeString(temporary, lines, StandardCharsets.UTF_8);
            Files.move(temporary, folder.resolve(FLOORS_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the group floors in " + folder, e);
        }
    }

    /** dm:a:b → dm_a_b.jsonl (no colons in file names, for file systems that refuse them). */
    private static String fileName(String conversationId) {
        return conversationId.replace(':', '_') + ".jsonl";
    }
}
