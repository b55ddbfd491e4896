package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyException;
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
            "/history               the open conversation again",
            "/quit                  leave (unsent messages stay queued for next time)",
            "anything else          is sent to the open conversation");

    private final ParleyClient client;
    private final ChatScreen screen;
    private final People people;
    private final Terminal terminal;
    private volatile List<ConversationSummary> listed = List.of();
    private volatile Destination destination;

    ChatCommands(ParleyClient client, ChatScreen screen, People people, Terminal terminal) {
        this.client = client;
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
                UUID group = UUID.fromString(input.substring(7).strip());
                destination = Destination.group(group);
                screen.open(ConversationId.group(group).value());
            } else if (input.equals("/history")) {
                if (screen.openConversation() != null) {
                    screen.open(screen.openConversation());
                }
            } else if (input.startsWith("/")) {
                terminal.say("unknown command " + input.split(" ")[0] + "; /help lists them");
            } else {
                send(line);
            }
        } catch (ParleyException e) {
            terminal.say("! " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            terminal.say("! " + e.getMessage());
        }
        return true;
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
        String clientMsgId = client.send(destination, text);
        screen.sending(clientMsgId, text);
        terminal.say("  (clock) queued: \"" + text + "\"");
    }
}
