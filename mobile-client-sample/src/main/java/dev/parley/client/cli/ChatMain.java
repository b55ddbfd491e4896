package dev.parley.client.cli;

import dev.parley.client.ClientConfig;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyException;
import dev.parley.client.friends.FriendsApi;
import dev.parley.client.groups.GroupsApi;
import dev.parley.client.session.AccountsApi;
import dev.parley.client.session.Credentials;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The terminal chat ({@code ./parley chat --handle ada}): logs in, then reads lines — commands or messages
 * for the open conversation — while messages, ticks and connection changes are printed as they happen.
 * The password is read from the terminal without echo, or as the first line of standard input when
 * there is no terminal (scripts, tests).
 */
public final class ChatMain {

    private ChatMain() {
    }

    public static void main(String[] args) throws IOException {
        Terminal terminal = new Terminal(System.out);
        ChatOptions options;
        try {
            options = ChatOptions.parse(args, Path.of(System.getProperty("parley.home", ".")));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String password = readPassword(input, terminal);
        AccountsApi accounts = new AccountsApi(options.rest());
        Credentials credentials;
        try {
            if (options.register()) {
                accounts.register(options.handle(), options.displayName(), password);
                terminal.say("registered " + options.handle());
            }
            credentials = accounts.login(options.handle(), password, deviceId(options.dataDir()));
        } catch (ParleyException e) {
            terminal.say("! " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
            return;
        } catch (UncheckedIOException e) {
            terminal.say("! " + e.getMessage() + " (is ./parley up running?)");
            System.exit(1);
            return;
        }
        People people = new People(accounts);
        ChatScreen screen = new ChatScreen(terminal, people, credentials.userId());
        try (ParleyClient client = ParleyClient.open(ClientConfig.of(options.mqtt(), options.dataDir()).withRest(options.rest()), credentials,
                accounts::refresh, screen)) {
            screen.attach(client);
            ChatCommands commands = new ChatCommands(client, new GroupsApi(options.rest()), new FriendsApi(options.rest()),
                    screen, people, terminal);
            terminal.say("logged in as " + options.handle() + " (device " + credentials.deviceId() + ", data in "
                    + options.dataDir() + "); /help for commands");
            client.start();
            commands.handle("/friends"); // follow friends' presence from the start
            String line;
            while ((line = input.readLine()) != null && commands.handle(line)) {
                // each line is handled as it comes; output arrives in between from the client's thread
            }
            terminal.say("bye" + (client.outboxSize() > 0 ? " (" + client.outboxSize() + " messages queued for next time)" : ""));
        }
    }

    private static String readPassword(BufferedReader input, Terminal terminal) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("password: ");
            return typed == null ? "" : new String(typed);
        }
        terminal.say("password: ");
        String line = input.readLine();
        return line == null ? "" : line;
    }

    /** This terminal's device id, made once per data folder so the server sees one device across runs. */
    private static String deviceId(Path dataDir) throws IOException {
        Path file = dataDir.resolve("device-id");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        Files.createDirectories(dataDir);
        String id = "terminal-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(file, id);
        return id;
    }
}
