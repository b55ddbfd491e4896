package dev.parley.client.cli;

import dev.parley.client.ChatListener;
import dev.parley.client.ConnectionState;
import dev.parley.client.GroupEvent;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyException;
import dev.parley.client.TickUpdate;
import dev.parley.client.outbox.PendingSend;
import dev.parley.client.receipts.Tick;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Envelope;
import dev.parley.protocol.typing.TypingState;
import dev.parley.client.PresenceStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the person sees: messages of the open conversation as they come, a note for other conversations,
 * the ticks of their own messages, connection changes, friends' presence, who is typing in the open
 * conversation. Marks the open conversation read as it is shown.
 */
final class ChatScreen implements ChatListener {

    private final Terminal terminal;
    private final People people;
    private final UUID me;
    /** Texts of this run's sends, so a tick can say which message it is about. */
    private final Map<String, String> sentTexts = new ConcurrentHashMap<>();
    /** Friends' presence as last reported, for /friends. */
    private final Map<UUID, String> presence = new ConcurrentHashMap<>();
    /** When "typing…" was last printed per conversation and typist: a line terminal cannot erase, so not every repeat. */
    private final Map<String, Instant> typingShown = new ConcurrentHashMap<>();
    private final ZoneId zone = ZoneId.systemDefault();
    private volatile String openConversation;
    private volatile ParleyClient client;

    ChatScreen(Terminal terminal, People people, UUID me) {
        this.terminal = terminal;
        this.people = people;
        this.me = me;
    }

    /** The client is made with this screen as its listener, so it can only be handed over afterwards. */
    void attach(ParleyClient client) {
        this.client = client;
    }

    void open(String conversationId) {
        openConversation = conversationId;
        var history = client.messages(conversationId);
        terminal.say("--- " + title(conversationId) + " (" + history.size() + " messages; type to send, /list, /help) ---");
        history.stream().skip(Math.max(0, history.size() - 20)).forEach(this::show);
        markShownRead(history.isEmpty() ? null : history.get(history.size() - 1));
    }

    String openConversation() {
        return openConversation;
    }

    void sending(String clientMsgId, String text) {
        sentTexts.put(clientMsgId, text);
    }

    String title(String conversationId) {
        ConversationId id = new ConversationId(conversationId);
        return id.isDirect() ? "chat with " + people.handleOf(id.otherParticipant(me))
                : "group " + id.groupId().map(UUID::toString).orElse(conversationId);
    }

    @Override
    public void onMessage(Envelope envelope) {
        typingShown.remove(envelope.conversationId() + "/" + envelope.from()); // their message ends their typing
        if (envelope.conversationId().equals(openConversation)) {
            show(envelope);
            markShownRead(envelope);
        } else if (!me.equals(envelope.from())) {
            terminal.say("(new message from " + people.handleOf(envelope.from()) + " in " + title(envelope.conversationId())
                    + ": /list to see it)");
        }
    }

    @Override
    public void onTick(TickUpdate update) {
        if (update.tick() == Tick.QUEUED) {
            return; // the "queued" line is printed when the person sends
        }
        String text = sentTexts.get(update.clientMsgId());
        if (text != null) {
            terminal.say("  " + marks(update.tick()) + " " + update.tick().name().toLowerCase() + ": \"" + text + "\"");
        }
    }

    @Override
    public void onSendFailed(PendingSend send, ParleyException error) {
        terminal.say("  ! not sent (" + error.getClass().getSimpleName() + "): " + error.getMessage());
    }

    @Override
    public void onGroupChanged(GroupEvent event) {
        terminal.say("* group " + event.groupId() + ": " + event.kind()
                + (event.user() == null ? "" : " " + people.handleOf(event.user())));
    }

    @Override
    public void onConnectionChanged(ConnectionState state, ParleyException cause) {
        switch (state) {
            case ONLINE -> terminal.say("* online");
            case OFFLINE -> terminal.say("* offline, reconnecting (messages you write are kept and sent later)");
            case STOPPED -> terminal.say(cause == null ? "* disconnected"
                    : "* stopped (" + cause.getClass().getSimpleName() + "): " + cause.getMessage());
            default -> {
            }
        }
    }

    @Override
    public void onPresenceChanged(UUID userId, PresenceStatus status, Instant lastSeen) {
        String line = status == PresenceStatus.ONLINE ? "online"
                : lastSeen == null ? "offline" : "offline, last seen " + when(lastSeen);
        presence.put(userId, line);
        terminal.say("* " + people.handleOf(userId) + " is " + line);
    }

    /** A friend's presence as last reported, e.g. "online" or "offline, last seen 10:42"; null if none yet. */
    String presenceOf(UUID userId) {
        return presence.get(userId);
    }

    @Override
    public void onTyping(String conversationId, UUID from, TypingState state) {
        String key = conversationId + "/" + from;
        if (state == TypingState.PAUSED) {
            typingShown.remove(key);
            return;
        }
        if (!conversationId.equals(openConversation)) {
            return;
        }
        Instant now = Instant.now();
        Instant shown = typingShown.get(key);
        if (shown == null || shown.plus(ParleyClient.TYPING_SHOWN_FOR).isBefore(now)) {
            typingShown.put(key, now);
            terminal.say("* " + people.handleOf(from) + " is typing…");
        }
    }

    private String when(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        return local.toLocalDate().equals(LocalDate.now(zone)) ? local.format(DateTimeFormatter.ofPattern("HH:mm"))
                : local.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    }

    @Override
    public void onCaughtUp() {
        terminal.say("* up to date");
    }

    private void show(Envelope message) {
        if (message.event() != null) {
            terminal.say("[" + message.seq() + "] * " + message.event().kind());
            return;
        }
        boolean mine = me.equals(message.from());
        String who = mine ? "me" : people.handleOf(message.from());
        String ticks = mine ? "  " + marks(client.tickOf(message)) : "";
        terminal.say("[" + message.seq() + "] " + who + ": " + message.text() + ticks);
    }

    private void markShownRead(Envelope newest) {
        if (newest != null && !me.equals(newest.from())) {
            client.markRead(newest.conversationId(), newest.seq());
        }
    }

    private static String marks(Tick tick) {
        return switch (tick) {
            case QUEUED -> "(clock)";
            case SENT -> "✓";
            case DELIVERED -> "✓✓";
            case READ -> "✓✓ (read)";
        };
    }
}
