package dev.parley.client.outbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sends the server has not confirmed, in the order the user made them, kept in an append-only
 * JSON-lines file so that they survive the app being killed: an {@code add} line per send, a
 * {@code done} line when the server confirmed (or finally refused) it. Opening the file replays it;
 * when most lines are done, the file is rewritten with only the pending sends (compaction).
 *
 * <p>Thread-safe; every method is short (one append).
 */
public final class Outbox implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    /** Rewrite the file when it holds this many more lines than pending sends. */
    private static final int COMPACT_AFTER_DONE_LINES = 1_000;

    /** One line of the log. */
    record Line(String op, String clientMsgId, Destination to, String text, java.time.Instant queuedAt) {
    }

    private final Path file;
    private final Map<String, PendingSend> pending = new LinkedHashMap<>();
    private FileChannel channel;
    private int doneLines;

    private Outbox(Path file) {
        this.file = file;
    }

    /** Opens (or creates) the outbox at {@code file}, replaying what an earlier run left. */
    public static Outbox open(Path file) {
        Outbox outbox = new Outbox(file);
        outbox.replay();
        outbox.compact();
        return outbox;
    }

    /**
     * Adds a send; it is on disk (fsync) when this returns, so a confirmed "queued" is never lost.
     */
    public synchronized void add(PendingSend send) {
        if (pending.containsKey(send.clientMsgId())) {
            return;
        }
        append(new Line("add", send.clientMsgId(), send.to(), send.text(), send.queuedAt()), true);
        pending.put(send.clientMsgId(), send);
    }

    /**
     * Removes a confirmed (or finally refused) send. Not forced to disk: if this line is lost in a
     * crash, the send is made once more and the broker's dedupe answers it with the original.
     */
    public synchronized void done(String clientMsgId) {
        if (pending.remove(clientMsgId) == null) {
            return;
        }
        append(new Line("done", clientMsgId, null, null, null), false);
        doneLines++;
        if (doneLines >= COMPACT_AFTER_DONE_LINES) {
            compact();
        }
    }

    /** The oldest send not yet confirmed. */
    public synchronized Optional<PendingSend> head() {
        return pending.values().stream().findFirst();
    }

    public synchronized List<PendingSend> pending() {
        return List.copyOf(pending.values());
    }

    public synchronized int size() {
        return pending.size();
    }

    public synchronized boolean contains(String clientMsgId) {
        return pending.containsKey(clientMsgId);
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null) {
                channel.force(false);
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void replay() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (text.isBlank()) {
                    continue;
                }
                Line line;
                try {
                    line = JSON.readValue(text, Line.class);
                } catch (IOException e) {
                    continue; // a line cut short by a crash mid-write: the send was never confirmed as queued
                }
                if ("add".equals(line.op())) {
                    pending.put(line.clientMsgId(), new PendingSend(line.clientMsgId(), line.to(), line.text(), line.queuedAt()));
                } else if ("done".equals(line.op())) {
                    pending.remove(line.clientMsgId());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the outbox " + file, e);
        }
    }

    /** Rewrites the file with only the pending sends: written beside it, then moved over it atomically. */
    private void compact() {
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path fresh = file.resolveSibling(file.getFileName() + ".compacting");
            StringBuilder text = new StringBuilder();
            for (PendingSend send : pending.values()) {
                text.append(JSON.writeValueAsString(new Line("add", send.clientMsgId(), send.to(), send.text(),
                        send.queuedAt()))).append('\n');
            }
            try (FileChannel out = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            Files.move(fresh, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            doneLines = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite the outbox " + file, e);
        }
    }

    private void append(Line line, boolean force) {
        try {
            byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (force) {
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outbox " + file, e);
        }
    }
}
