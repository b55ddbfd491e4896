package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyException;
import dev.parley.client.friends.FriendsApi;
import dev.parley.client.groups.GroupsApi;
import dev.parley.protocol.typing.TypingState;
import dev.parley.client.messages.ConversationSummary;
import dev.parley.client.outbox.Destination;
import dev.parley.protocol.ConversationId;
import java.util.List;
import java.util.UUID;

/** One line typed by the person: a command, or a message for the open conversation. */
final class ChatCommands {

    static final String HELP = String.join("\n",
            "/list                  conversations on this device, newest first",
            "/open HANDLE | /open N open a chat with a user, or conversation N of /list",
            "/group GROUP-ID        open a group conversation",
            "/groups                your groups, with their ids",
            "/newgroup NAME HANDLE... create a group with these people, and open it",
            "/add HANDLE            add someone to the open group (admins)",
            "/leave                 leave the open group",
            "/history               the open conversation again",
            "/typing                show the open conversation that you are typing (until you send, or ~6 s)",
            "/friends               your friends and their presence (and follow it live)",
            "/friend HANDLE         ask someone to be friends (accepts their request if they asked you)",
            "/quit                  leave (unsent messages stay queued for next time)",
            "anything else          is sent to the open conversation");

    private final ParleyClient client;
    private final GroupsApi groups;
    private final FriendsApi friends;
    private final ChatScreen screen;
    private final People people;
    private final Terminal terminal;
    private volatile List<ConversationSummary> listed = List.of();
    private volatile Destination destination;
    /** Whether "typing" went to the open conversation since the last send (the send then says "paused"). */
    private volatile boolean typingSent;

    ChatCommands(ParleyClient client, GroupsApi groups, FriendsApi friends, ChatScreen screen, People people,
                 Terminal terminal) {
        this.client = client;
        this.groups = groups;
        this.friends = friends;
        this.screen = screen;
        this.people = people;
        this.terminal = terminal;
    }

    /** @return false when the person wants to leave */
    boolean handle(String line) {
        String input = line.strip();
        if (input.isEmpty()) {
            return true;
        }
        try {
            if (input.equals("/quit")) {
                return false;
            } else if (input.equals("/help")) {
                terminal.say(HELP);
            } else if (input.equals("/list")) {
                list();
            } else if (input.startsWith("/open ")) {
                open(input.substring(6).strip());
            } else if (input.startsWith("/group ")) {
                openGroup(UUID.fromString(input.substring(7).strip()));
            } else if (input.equals("/groups")) {
                for (GroupsApi.GroupInfo group : groups.mine(client.credentials())) {
                    terminal.say("  " + group.name() + " (" + group.memberCount() + " members, you: " + group.yourRole()
                            + ")  /group " + group.id());
                }
            } else if (input.startsWith("/newgroup ")) {
                String[] words = input.substring(10).strip().split("\\s+");
                List<UUID> members = java.util.Arrays.stream(words).skip(1).map(people::idOf).toList();
                UUID group = groups.create(client.credentials(), words[0], members);
                terminal.say("group " + words[0] + " created: /group " + group);
                openGroup(group);
            } else if (input.startsWith("/add ")) {
                UUID user = people.idOf(input.substring(5).strip());
                groups.add(client.credentials(), openGroupId(), user);
                terminal.say("added " + input.substring(5).strip());
            } else if (input.equals("/leave")) {
                groups.remove(client.credentials(), openGroupId(), client.me());
                terminal.say("you left the group");
                destination = null;
            } else if (input.equals("/history")) {
                if (screen.openConversation() != null) {
                    screen.open(screen.openConversation());
                }
            } else if (input.equals("/typing")) {
                typing();
            } else if (input.equals("/friends")) {
                listFriends();
            } else if (input.startsWith("/friend ")) {
                befriend(input.substring(8).strip());
            } else if (input.startsWith("/")) {
                terminal.say("unknown command " + input.split(" ")[0] + "; /help lists them");
            } else {
                send(line);
            }
        } catch (ParleyException e) {
            terminal.say("! " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            terminal.say("! " + e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            terminal.say("! " + e.getMessage()); // the REST service is away: the chat itself goes on
        }
        return true;
    }

    /**
     * Reads the friends list, follows their presence (already followed ones are kept) and shows what is known.
     * Also run once at start.
     */
    void listFriends() {
        List<FriendsApi.Friend> all = friends.list(client.credentials());
        all.forEach(f -> people.know(f.id(), f.handle()));
        client.watchPresence(all.stream().map(FriendsApi.Friend::id).toList());
        if (all.isEmpty()) {
            terminal.say("no friends yet: /friend HANDLE");
        }
        for (FriendsApi.Friend friend : all) {
            String known = screen.presenceOf(friend.id());
            terminal.say("  " + friend.handle() + " (" + friend.displayName() + ")" + (known == null ? "" : ": " + known));
        }
    }

    private void befriend(String handle) {
        UUID user = people.idOf(handle);
        FriendsApi.RequestStatus status = friends.request(client.credentials(), user);
        if (status == FriendsApi.RequestStatus.friends) {
            terminal.say("you and " + handle + " are friends now");
            client.watchPresence(List.of(user));
        } else {
            terminal.say("asked " + handle + " to be friends; once they /friend you too, /friends shows their presence");
        }
    }

    private void typing() {
        if (destination == null) {
            terminal.say("open a conversation first: /open HANDLE (or /help)");
            return;
        }
        client.typing(destination, TypingState.TYPING);
        typingSent = true;
    }

    private void openGroup(UUID group) {
        destination = Destination.group(group);
        screen.open(ConversationId.group(group).value());
    }

    private UUID openGroupId() {
        String open = screen.openConversation();
        return java.util.Optional.ofNullable(open).flatMap(c -> new ConversationId(c).groupId())
                .orElseThrow(() -> new IllegalArgumentException("open a group first: /group GROUP-ID"));
    }

    private void list() {
        listed = client.conversations();
        if (listed.isEmpty()) {
            terminal.say("no conversations yet: /open HANDLE to start one");
        }
        for (int i = 0; i < listed.size(); i++) {
            ConversationSummary summary = listed.get(i);
            terminal.say("  " + (i + 1) + ". " + screen.title(summary.conversationId()) + " — " + summary.messageCount()
                    + " messages, last: " + summary.last().text());
        }
    }

    private void open(String target) {
        String conversation;
        if (target.matches("\\d+")) {
            int index = Integer.parseInt(target) - 1;
            if (index < 0 || index >= listed.size()) {
                throw new IllegalArgumentException("no conversation " + target + " in the last /list");
            }
            ConversationId id = new ConversationId(listed.get(index).conversationId());
            destination = id.isDirect() ? Destination.user(id.otherParticipant(client.me()))
                    : Destination.group(id.groupId().orElseThrow());
            conversation = id.value();
        } else {
            UUID user = people.idOf(target);
            destination = Destination.user(user);
            conversation = ConversationId.direct(client.me(), user).value();
        }
        screen.open(conversation);
    }

    private void send(String text) {
        if (destination == null) {
            terminal.say("open a conversation first: /open HANDLE (or /help)");
            return;
        }
        if (typingSent) {
            client.typing(destination, TypingState.PAUSED);
            typingSent = false;
        }
        String clientMsgId = client.send(destination, text);
        screen.sending(clientMsgId, text);
        terminal.say("  (clock) queued: \"" + text + "\"");
    }
}
