package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.client.connection.Ack;
import dev.parley.client.connection.MqttLink;
import dev.parley.client.connection.ReasonCodes;
import dev.parley.client.connection.ReconnectDelays;
import dev.parley.client.messages.ConversationSummary;
import dev.parley.client.messages.MessageStore;
import dev.parley.client.outbox.Destination;
import dev.parley.client.outbox.Outbox;
import dev.parley.client.outbox.PendingSend;
import dev.parley.client.groups.GroupsApi;
import dev.parley.client.receipts.GroupTicks;
import dev.parley.client.receipts.ReceiptBook;
import dev.parley.client.receipts.Tick;
import dev.parley.client.receipts.Watermarks;
import dev.parley.client.session.Credentials;
import dev.parley.client.sync.CatchUp;
import dev.parley.protocol.Envelope;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.groups.GroupReceipts;
import dev.parley.protocol.typing.TypingIndicator;
import dev.parley.protocol.typing.TypingState;
import dev.parley.protocol.typing.TypingThrottle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * A Parley device: keeps one MQTT connection to the broker (reconnecting with backoff and jitter), sends
 * what the user writes through a file-backed outbox (in order, each exactly once thanks to its
 * clientMsgId), catches up exactly from the last seq held per conversation after every (re)connect, and
 * keeps every message and receipt in the device's data folder so history shows offline.
 *
 * <p>All connection state lives on one thread (the "loop"); Paho's callbacks and the app's calls hop
 * onto it, so no state is shared between threads but the thread-safe stores.
 */
public final class ParleyClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_TEXT_CODE_POINTS = 1000;
    /** A catch-up page that is not answered within this is asked for again (the answer may have been lost). */
    private static final Duration SYNC_PAGE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Typing updates go out at most this often per conversation (plus a "paused" right after a "typing"): the
     * broker forwards one per second and refuses the rest; the margin absorbs network jitter.
     */
    public static final Duration TYPING_INTERVAL = Duration.ofMillis(1_100);
    /** How long an app shows "typing…" after the last TYPING (a typist's client repeats it every few seconds). */
    public static final Duration TYPING_SHOWN_FOR = Duration.ofSeconds(6);
    /** Presence is announced again this often while connected (presence-bridge's device lease is 1 h). */
    static final Duration PRESENCE_REANNOUNCE = Duration.ofMinutes(30);

    /** A new access token for the device, from the current one (e.g. {@code AccountsApi::refresh}). */
    @FunctionalInterface
    public interface TokenRefresher {
        Credentials refresh(Credentials current);
    }

    private final ClientConfig config;
    private final TokenRefresher refresher;
    private final ChatListener listener;
    private final Outbox outbox;
    private final MessageStore messages;
    private final ReceiptBook receipts;
    private final CatchUp catchUp;
    private final GroupTicks groupTicks = new GroupTicks();
    /** Groups whose roster is being fetched (loop thread only): one request at a time per group. */
    private final Set<String> rosterLoading = new HashSet<>();
    /** Groups whose roster was asked for their floor on this connection (loop thread only): once per connection. */
    private final Set<String> floorsAsked = new HashSet<>();
    /** For group rosters; null when the config names no REST service (group messages then stay "sent"). */
    private final GroupsApi groups;
    private final ScheduledExecutorService loop;
    private final RandomGenerator random = RandomGenerator.getDefault();

    // Loop-thread state.
    private MqttLink link;
    /** Bumped whenever a connection ends or a new attempt starts: callbacks of older ones are ignored. */
    private int generation;
    private final ReconnectDelays reconnectDelays;
    private String inFlight;
    private int syncPages;
    private boolean stopped;
    private final Map<String, Long> readMarksToSend = new HashMap<>();
    /** Users whose presence the app watches; subscribed again on every connection. */
    private final Set<UUID> watched = new HashSet<>();
    /** This connection's id in its presence announcements and will (README "Presence"). */
    private String connectionId;
    private final TypingThrottle typingThrottle = new TypingThrottle(TYPING_INTERVAL, 1_000);
    private volatile Credentials credentials;
    private int failedRefreshes;
    /** The closing of the last connection (Paho's close waits for its threads, so it runs off the loop). */
    private volatile CompletableFuture<Void> lastClose = CompletableFuture.completedFuture(null);
    private volatile ConnectionState state = ConnectionState.OFFLINE;
    private volatile boolean caughtUp;

    private ParleyClient(ClientConfig config, Credentials credentials, TokenRefresher refresher, ChatListener listener) {
        this.config = config;
        this.credentials = credentials;
        this.refresher = refresher;
        this.listener = listener;
        this.outbox = Outbox.open(config.dataDir().resolve("outbox.jsonl"));
        this.messages = MessageStore.open(config.dataDir().resolve("messages"));
        this.receipts = ReceiptBook.open(config.dataDir().resolve("receipts.json"));
        this.catchUp = new CatchUp(messages, config.syncPage());
        this.groups = config.rest() == null ? null : new GroupsApi(config.rest());
        this.reconnectDelays = new ReconnectDelays(config.backoff(), ReconnectDelays.STABLE_AFTER);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "parley-client-" + credentials.deviceId());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Opens the device's data folder (what an earlier run left in the outbox is sent once connected). */
    public static ParleyClient open(ClientConfig config, Credentials credentials, ChatListener listener) {
        return new ParleyClient(config, credentials, null, listener);
    }

    /**
     * As {@link #open(ClientConfig, Credentials, ChatListener)}, refreshing the access token
     * {@link ClientConfig#refreshBefore()} before it expires and reconnecting with the new one (the broker
     * ends a connection when the token it was opened with expires).
     */
    public static ParleyClient open(ClientConfig config, Credentials credentials, TokenRefresher refresher,
                                    ChatListener listener) {
        return new ParleyClient(config, credentials, refresher, listener);
    }

    /** Starts connecting; returns at once. Progress comes through {@link ChatListener#onConnectionChanged}. */
    public void start() {
        loop.execute(() -> {
            scheduleRefresh();
            connect();
        });
    }

    /** The access token in use (it changes when refreshed). */
    public Credentials credentials() {
        return credentials;
    }

    public UUID me() {
        return credentials.userId();
    }

    /**
     * Queues a message and returns its clientMsgId. It is on disk when this returns and goes out as soon
     * as the client is online, after everything queued before it.
     *
     * @throws ParleyException.InvalidMessage if the text is empty or longer than 1000 characters
     */
    public String send(Destination to, String text) {
        int length = text == null ? 0 : text.strip().codePointCount(0, text.strip().length());
        if (length == 0 || length > MAX_TEXT_CODE_POINTS) {
            throw new ParleyException.InvalidMessage("a message is 1 to " + MAX_TEXT_CODE_POINTS
                    + " characters (not counting surrounding white space), not " + length);
        }
        PendingSend send = new PendingSend(UUID.randomUUID().toString(), to, text, Instant.now());
        outbox.add(send);
        loop.execute(() -> {
            listener.onTick(new TickUpdate(to.conversation(me()).value(), send.clientMsgId(), 0, Tick.QUEUED));
            drain();
        });
        return send.clientMsgId();
    }

    /**
     * Follows these users' presence ({@code presence/{id}}, friends only: the broker refuses anyone else's, and
     * then nothing is reported for them). Kept for every later connection; reported through
     * {@link ChatListener#onPresenceChanged}.
     */
    public void watchPresence(Collection<UUID> users) {
        List<UUID> added = List.copyOf(users);
        loop.execute(() -> {
            List<UUID> fresh = added.stream().filter(watched::add).toList();
            if (state == ConnectionState.ONLINE && link != null && !fresh.isEmpty()) {
                subscribePresence(link, fresh);
            }
        });
    }

    /**
     * Tells the other side of a conversation that I am typing ({@code TYPING}: call it as the person types,
     * as often as convenient) or stopped ({@code PAUSED}). Kept to the broker's rate (at most one update per
     * {@link #TYPING_INTERVAL} per conversation, plus a "paused" right after a "typing"): calls beyond it are
     * dropped here. Ephemeral: nothing is queued while offline.
     */
    public void typing(Destination to, TypingState typingState) {
        loop.execute(() -> {
            if (state != ConnectionState.ONLINE || link == null
                    || !typingThrottle.admit(credentials.clientId(), to.conversation(me()).value(), typingState,
                    Instant.now())) {
                return;
            }
            link.publishAtMostOnce(to.typingTopic(),
                    JSON.createObjectNode().put("state", typingState.wire()).toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    /** Tells the other side (and my other devices) that I read everything up to {@code upToSeq}. */
    public void markRead(String conversationId, long upToSeq) {
        loop.execute(() -> {
            readMarksToSend.merge(conversationId, upToSeq, Math::max);
            sendReadMarks();
        });
    }

    public ConnectionState state() {
        return state;
    }

    /** Whether the last catch-up finished on the current connection. */
    public boolean isCaughtUp() {
        return caughtUp && state == ConnectionState.ONLINE;
    }

    public int outboxSize() {
        return outbox.size();
    }

    public List<PendingSend> outbox() {
        return outbox.pending();
    }

    public List<ConversationSummary> conversations() {
        return messages.conversations();
    }

    /** A conversation as this device holds it, oldest first. */
    public List<Envelope> messages(String conversationId) {
        return messages.messages(conversationId);
    }

    /** The tick of one of my stored messages. */
    public Tick tickOf(Envelope mine) {
        if (mine.groupId() != null) {
            return groupTicks.tickOf(mine.conversationId(), mine.seq(), me());
        }
        return receipts.of(mine.conversationId()).tickOf(mine.seq());
    }

    /** Stops for good: disconnects, stops reconnecting, closes the files. Queued sends stay for the next run. */
    @Override
    public void close() {
        try {
            loop.submit(() -> stop(null)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            // closing anyway
        }
        try {
            lastClose.get(5, TimeUnit.SECONDS); // no Paho thread writes into the stores after they are closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway
        }
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbox.close();
        messages.close();
    }

    // --- connection ------------------------------------------------------------------------------

    private void connect() {
        if (stopped) {
            return;
        }
        int attempt = ++generation;
        setState(ConnectionState.CONNECTING, null);
        connectionId = UUID.randomUUID().toString();
        CompletableFuture<MqttLink> connecting = MqttLink.connect(config.mqtt(), credentials, config.keepAlive(),
                new MqttLink.Will(presenceTopic(), presencePayload("offline")), new Inbound(attempt));
        connecting.whenCompleteAsync((connected, failure) -> {
            if (failure != null) {
                onConnectFailed(attempt, failure);
            } else {
                onConnected(attempt, connected);
            }
        }, loop);
    }

    private void onConnected(int attempt, MqttLink connected) {
        if (attempt != generation || stopped) {
            connected.close();
            return;
        }
        link = connected;
        String me = me().toString();
        connected.subscribe("users/" + me + "/messages", "users/" + me + "/receipts", "users/" + me + "/events",
                        "users/" + me + "/typing")
                .whenCompleteAsync((codes, failure) -> {
                    if (attempt != generation) {
                        return;
                    }
                    if (failure != null) {
                        connectionEnded();
                        scheduleReconnect();
                        return;
                    }
                    for (int code : codes) {
                        if (code >= 0x80) {
                            stop(new ParleyException.NotAuthorized("the broker refused this device its own topics (0x"
                                    + Integer.toHexString(code) + ")"));
                            return;
                        }
                    }
                    reconnectDelays.connected(Instant.now());
                    caughtUp = false;
                    setState(ConnectionState.ONLINE, null);
                    announceOnline(attempt);
                    subscribePresence(connected, List.copyOf(watched));
                    requestSyncPage();
                    sendReadMarks();
                    drain();
                }, loop);
    }

    // --- presence --------------------------------------------------------------------------------

    private String presenceTopic() {
        return "presence/" + me() + "/" + credentials.deviceId();
    }

    private byte[] presencePayload(String status) {
        return JSON.createObjectNode().put("status", status).put("connection", connectionId).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    /** "online" now and every {@link #PRESENCE_REANNOUNCE} while this connection lasts; its will says offline. */
    private void announceOnline(int connection) {
        if (connection != generation || link == null) {
            return;
        }
        link.publish(presenceTopic(), presencePayload("online"));
        loop.schedule(() -> announceOnline(connection), PRESENCE_REANNOUNCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One SUBSCRIBE per user: a refused one (not a friend, 0x87) must not hide the others' answers. */
    private void subscribePresence(MqttLink on, List<UUID> users) {
        for (UUID user : users) {
            on.subscribe("presence/" + user);
        }
    }

    private void onPresence(byte[] payload) {
        JsonNode json = parse(payload);
        if (json == null || !json.path("userId").isTextual()) {
            return;
        }
        UUID user = UUID.fromString(json.path("userId").asText());
        if (!watched.contains(user)) {
            return;
        }
        Instant lastSeen = json.path("lastSeen").isTextual() ? Instant.parse(json.path("lastSeen").asText()) : null;
        listener.onPresenceChanged(user, PresenceStatus.fromWire(json.path("status").asText()), lastSeen);
    }

    private void onTypingIndicator(byte[] payload) {
        TypingIndicator indicator;
        try {
            indicator = Payloads.fromJson(payload, TypingIndicator.class);
        } catch (IllegalArgumentException e) {
            return; // not an indicator: nothing to show
        }
        if (indicator.from() != null && !me().equals(indicator.from()) && indicator.state() != null) {
            listener.onTyping(indicator.conversationId(), indicator.from(), indicator.state());
        }
    }

    private void onConnectFailed(int attempt, Throwable failure) {
        if (attempt != generation || stopped) {
            return;
        }
        Optional<ParleyException> refused = ReasonCodes.forConnectFailure(unwrap(failure));
        if (refused.isPresent()) {
            stop(refused.get()); // the same credentials will be refused again: never retry forever
        } else {
            scheduleReconnect();
        }
    }

    private void onLost(int connection, int reasonCode, String reason) {
        if (connection != generation || stopped) {
            return;
        }
        connectionEnded();
        if (reasonCode == ReasonCodes.SESSION_TAKEN_OVER) {
            stop(new ParleyException.SessionTakenOver("another connection with client id " + credentials.clientId()
                    + " took this device's session over" + (reason == null ? "" : ": " + reason)));
            return;
        }
        // A token that expired while connected (0xA0) is refused at the next CONNECT, which stops the
        // client with AuthenticationFailed: one path for every credentials problem.
        scheduleReconnect();
    }

    /** Forgets the current connection: its in-flight send and catch-up page go again on the next. */
    private void connectionEnded() {
        connectionEnded(false);
    }

    /** @param leaving the app closes the client: DISCONNECT with will, so friends see offline at once */
    private void connectionEnded(boolean leaving) {
        generation++;
        caughtUp = false;
        inFlight = null;
        floorsAsked.clear();
        catchUp.abandon();
        if (link != null) {
            MqttLink dead = link;
            link = null;
            // Paho's close waits for its threads: not on the loop
            lastClose = CompletableFuture.runAsync(leaving ? dead::leave : dead::close);
        }
    }

    private void scheduleReconnect() {
        setState(ConnectionState.OFFLINE, null);
        Duration delay = reconnectDelays.next(Instant.now(), random);
        loop.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stop(ParleyException cause) {
        if (stopped) {
            return;
        }
        stopped = true;
        connectionEnded(cause == null);
        setState(ConnectionState.STOPPED, cause);
    }

    private void setState(ConnectionState next, ParleyException cause) {
        if (state != next || cause != null) {
            state = next;
            listener.onConnectionChanged(next, cause);
        }
    }

    // --- token refresh ---------------------------------------------------------------------------

    private void scheduleRefresh() {
        if (refresher == null || stopped) {
            return;
        }
        Duration wait = Duration.between(Instant.now(), credentials.expiresAt().minus(config.refreshBefore()));
        loop.schedule(this::refreshToken, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void refreshToken() {
        if (stopped) {
            return;
        }
        Credentials current = credentials;
        // A blocking HTTP call: off the loop, back onto it with the answer.
        CompletableFuture.supplyAsync(() -> refresher.refresh(current))
                .whenCompleteAsync((fresh, failure) -> onRefreshed(fresh, failure), loop);
    }

    private void onRefreshed(Credentials fresh, Throwable failure) {
        if (stopped) {
            return;
        }
        if (failure != null) {
            Throwable cause = unwrap(failure);
            if (cause instanceof ParleyException.AuthenticationFailed refused) {
                stop(refused); // logged out, or a newer token exists elsewhere: log in again
                return;
            }
            // Unreachable service: try again soon; if the token expires meanwhile, the next CONNECT says so.
            Duration delay = config.backoff().delay(failedRefreshes++, random);
            loop.schedule(this::refreshToken, delay.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        failedRefreshes = 0;
        credentials = fresh;
        listener.onCredentialsRefreshed(fresh);
        scheduleRefresh();
        if (link != null) {
            // The broker ends this connection when the token it was opened with expires: move over now.
            connectionEnded();
            connect();
        }
    }

    // --- outbox ----------------------------------------------------------------------------------

    /**
     * Sends the oldest queued message, one at a time: the next goes only after the PUBACK of the
     * previous, so that a failure never lets a later message overtake an earlier one.
     */
    private void drain() {
        if (state != ConnectionState.ONLINE || link == null || inFlight != null) {
            return;
        }
        Optional<PendingSend> head = outbox.head();
        if (head.isEmpty()) {
            return;
        }
        PendingSend send = head.get();
        inFlight = send.clientMsgId();
        int connection = generation;
        ObjectNode payload = JSON.createObjectNode().put("clientMsgId", send.clientMsgId()).put("text", send.text());
        link.publish(send.to().topic(), payload.toString().getBytes(StandardCharsets.UTF_8))
                .whenCompleteAsync((ack, failure) -> onPuback(connection, send, ack, failure), loop);
    }

    private void onPuback(int connection, PendingSend send, Ack ack, Throwable failure) {
        if (connection != generation) {
            return; // that connection is gone: the send is still queued and goes again on the next
        }
        inFlight = null;
        if (failure != null) {
            loop.schedule(this::drain, 200, TimeUnit.MILLISECONDS); // usually the connection ending: onLost follows
            return;
        }
        String conversation = send.to().conversation(me()).value();
        if (ack.success()) {
            outbox.done(send.clientMsgId());
            listener.onTick(new TickUpdate(conversation, send.clientMsgId(), 0, Tick.SENT));
            drain();
            return;
        }
        ParleyException error = ReasonCodes.forPuback(ack);
        if (ReasonCodes.retryable(error)) {
            Duration delay = config.backoff().delay(0, random);
            loop.schedule(this::drain, delay.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        outbox.done(send.clientMsgId());
        listener.onSendFailed(send, error);
        drain();
    }

    private void sendReadMarks() {
        if (state != ConnectionState.ONLINE || link == null) {
            return;
        }
        int connection = generation;
        String topic = "users/" + me() + "/receipts";
        for (Map.Entry<String, Long> mark : Map.copyOf(readMarksToSend).entrySet()) {
            ObjectNode payload = JSON.createObjectNode().put("conversationId", mark.getKey()).put("type", "read")
                    .put("upToSeq", mark.getValue());
            link.publish(topic, payload.toString().getBytes(StandardCharsets.UTF_8)).whenCompleteAsync((ack, failure) -> {
                if (connection == generation && failure == null) {
                    readMarksToSend.remove(mark.getKey(), mark.getValue()); // unless a newer mark came meanwhile
                }
            }, loop);
        }
    }

    // --- catch-up --------------------------------------------------------------------------------

    private void requestSyncPage() {
        if (state != ConnectionState.ONLINE || link == null) {
            return;
        }
        int page = ++syncPages;
        int connection = generation;
        link.publish("users/" + me() + "/sync", catchUp.nextRequest());
        listener.onCatchUpRequested(catchUp.lastCursors());
        loop.schedule(() -> {
            if (connection == generation && page == syncPages && catchUp.inProgress()) {
                requestSyncPage();
            }
        }, SYNC_PAGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    // --- what arrives ----------------------------------------------------------------------------

    /** Paho's callbacks for one connection. */
    private final class Inbound implements MqttLink.Handler {
        private final int connection;

        Inbound(int connection) {
            this.connection = connection;
        }

        @Override
        public void message(String topic, byte[] payload) {
            if (loop.isShutdown()) {
                return; // closed by the app: dropped here, and fetched by the next start's catch-up (the store is the truth)
            }
            if (topic.endsWith("/messages")) {
                Envelope envelope;
                try {
                    envelope = Payloads.fromJson(payload, Envelope.class);
                } catch (IllegalArgumentException e) {
                    return; // not an envelope: nothing a device could show
                }
                // Stored before Paho acknowledges it (after this returns), so "delivered" means on this device.
                boolean fresh = messages.add(envelope);
                loop.execute(() -> onEnvelope(envelope, fresh));
            } else if (topic.endsWith("/receipts")) {
                loop.execute(() -> onReceipt(payload));
            } else if (topic.endsWith("/events")) {
                loop.execute(() -> onEvent(payload));
            } else if (topic.endsWith("/typing")) {
                loop.execute(() -> onTypingIndicator(payload));
            } else if (topic.startsWith("presence/")) {
                loop.execute(() -> onPresence(payload));
            }
        }

        @Override
        public void lost(int reasonCode, String reason) {
            loop.execute(() -> onLost(connection, reasonCode, reason));
        }
    }

    private void onEnvelope(Envelope envelope, boolean fresh) {
        learnFloor(envelope.conversationId());
        if (!fresh) {
            return;
        }
        listener.onMessage(envelope);
        if (me().equals(envelope.from()) && envelope.event() == null) {
            listener.onTick(new TickUpdate(envelope.conversationId(), envelope.clientMsgId(), envelope.seq(),
                    tickOf(envelope)));
        }
    }

    private void onReceipt(byte[] payload) {
        JsonNode json = parse(payload);
        if (json == null) {
            return;
        }
        if (json.has("marks")) {
            GroupReceipts digest = Payloads.fromJson(payload, GroupReceipts.class);
            listener.onGroupReceipts(digest);
            changeGroupTicks(digest.conversationId(), () -> groupTicks.merge(digest.conversationId(), digest.marks(),
                    digest.type() == dev.parley.protocol.Receipt.Type.read));
            if (!groupTicks.knowsRoster(digest.conversationId()) && rosterLoading.add(digest.conversationId())) {
                loadRoster(digest.conversationId());
            }
            return;
        }
        if (me().toString().equals(json.path("by").asText())) {
            return; // I read this on another device: nothing changes on my messages' ticks
        }
        String conversation = json.path("conversationId").asText();
        long upTo = json.path("upToSeq").asLong();
        boolean read = "read".equals(json.path("type").asText());
        Watermarks before = receipts.of(conversation);
        Watermarks after = receipts.merge(conversation, new Watermarks(upTo, read ? upTo : 0));
        if (after.equals(before)) {
            return;
        }
        for (Envelope message : messages.messages(conversation)) {
            if (me().equals(message.from()) && message.event() == null
                    && before.tickOf(message.seq()) != after.tickOf(message.seq())) {
                listener.onTick(new TickUpdate(conversation, message.clientMsgId(), message.seq(), after.tickOf(message.seq())));
            }
        }
    }

    /** Applies a change to the group ticks and reports the ticks of my messages that it moved. */
    private void changeGroupTicks(String conversation, Runnable change) {
        List<Envelope> mine = messages.messages(conversation).stream()
                .filter(m -> me().equals(m.from()) && m.event() == null).toList();
        List<Tick> before = mine.stream().map(this::tickOf).toList();
        change.run();
        for (int i = 0; i < mine.size(); i++) {
            Tick after = tickOf(mine.get(i));
            if (after != before.get(i)) {
                listener.onTick(new TickUpdate(conversation, mine.get(i).clientMsgId(), mine.get(i).seq(), after));
            }
        }
    }

    /**
     * A group whose floor (where my history of it starts) this device does not know yet: its roster says (my
     * {@code joinedAfterSeq}); until then its catch-up cursor counts from seq 1. Once per group and connection.
     */
    private void learnFloor(String conversation) {
        if (groups == null || !conversation.startsWith("g:") || messages.knowsFloor(conversation)
                || !floorsAsked.add(conversation) || !rosterLoading.add(conversation)) {
            return;
        }
        loadRoster(conversation);
    }

    /** The group's roster over REST (a blocking call: off the loop), then the ticks and the floor it decides. */
    private void loadRoster(String conversation) {
        Optional<UUID> group = new dev.parley.protocol.ConversationId(conversation).groupId();
        if (groups == null || group.isEmpty()) {
            rosterLoading.remove(conversation);
            return;
        }
        Credentials asMe = credentials;
        CompletableFuture.supplyAsync(() -> groups.members(asMe, group.get()))
                .whenCompleteAsync((members, failure) -> {
                    rosterLoading.remove(conversation);
                    if (failure == null) {
                        members.stream().filter(m -> m.userId().equals(me())).findFirst()
                                .ifPresent(mine -> messages.floor(conversation, mine.joinedAfterSeq()));
                        changeGroupTicks(conversation, () -> groupTicks.roster(conversation, members));
                    }
                    // else (left the group, service away): the ticks wait for the next receipts or change
                }, loop);
    }

    private void onEvent(byte[] payload) {
        JsonNode json = parse(payload);
        if (json == null) {
            return;
        }
        switch (json.path("type").asText()) {
            case "sync" -> {
                switch (catchUp.onSyncEvent(json)) {
                    case MORE -> requestSyncPage();
                    case DONE -> {
                        caughtUp = true;
                        listener.onCaughtUp();
                    }
                    case IGNORED -> {
                    }
                }
            }
            case "group.changed" -> {
                JsonNode change = json.path("change");
                String kind = change.path("kind").asText();
                if (me().toString().equals(change.path("user").asText())
                        && (kind.equals("added") || kind.equals("joined") || kind.equals("created"))) {
                    // (added again after leaving: my history starts at the new join) learnt again from the roster
                    messages.forgetFloor(json.path("conversationId").asText());
                    floorsAsked.remove(json.path("conversationId").asText());
                }
                if (groupTicks.knowsRoster(json.path("conversationId").asText())) {
                    loadRoster(json.path("conversationId").asText()); // who counts for "read by all" changed
                }
                listener.onGroupChanged(new GroupEvent(UUID.fromString(json.path("groupId").asText()),
                        json.path("conversationId").asText(), json.path("seq").asLong(), change.path("kind").asText(),
                        uuidOrNull(change.path("user")), uuidOrNull(change.path("actor"))));
            }
            default -> {
                // events this client does not know yet (presence, typing, ...): ignored, not an error
            }
        }
    }

    private static UUID uuidOrNull(JsonNode node) {
        return node.isTextual() ? UUID.fromString(node.asText()) : null;
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }
}
