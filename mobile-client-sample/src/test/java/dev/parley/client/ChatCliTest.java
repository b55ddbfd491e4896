package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.outbox.Destination;
import dev.parley.client.session.Credentials;
import dev.parley.protocol.Envelope;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The terminal chat as a person uses it: a process, typed lines in, printed lines out. */
@Timeout(300)
class ChatCliTest {

    @TempDir
    Path dataDirs;

    @Test
    void aPersonAtTheTerminalSendsAndReceivesAndSeesTheTicks() throws Exception {
        ChatStack stack = ChatStack.shared();
        String bobHandle = "bob_" + UUID.randomUUID().toString().substring(0, 8);
        stack.accounts().register(bobHandle, "Bob", ChatStack.password(bobHandle));
        Credentials bob = stack.accounts().login(bobHandle, ChatStack.password(bobHandle), "laptop");
        String adaHandle = "ada_" + UUID.randomUUID().toString().substring(0, 8);
        RecordingListener bobSees = new RecordingListener();

        Process chat = startChat(stack, adaHandle);
        List<String> screen = new CopyOnWriteArrayList<>();
        Thread reader = readLines(chat, screen);
        try (Writer keyboard = new java.io.OutputStreamWriter(chat.getOutputStream(), StandardCharsets.UTF_8);
             ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob, bobSees)) {
            bobClient.start();
            type(keyboard, ChatStack.password(adaHandle));
            await("logged in and online").atMost(Duration.ofSeconds(60)).until(() -> contains(screen, "* online"));

            type(keyboard, "/open " + bobHandle);
            await("the conversation opens").atMost(Duration.ofSeconds(30)).until(() -> contains(screen, "--- chat with " + bobHandle));
            type(keyboard, "hello from the terminal");

            await("Bob gets it").atMost(Duration.ofSeconds(30)).until(() -> !bobSees.messages.stream()
                    .filter(m -> !m.from().equals(bob.userId())).toList().isEmpty());
            Envelope received = bobSees.messages.stream().filter(m -> !m.from().equals(bob.userId())).findFirst().orElseThrow();
            assertThat(received.text()).isEqualTo("hello from the terminal");
            await("the terminal shows delivered").atMost(Duration.ofSeconds(30))
                    .until(() -> contains(screen, "delivered: \"hello from the terminal\""));

            bobClient.markRead(received.conversationId(), received.seq());
            bobClient.send(Destination.user(received.from()), "hi terminal");

            await("the terminal shows the reply and the read tick").atMost(Duration.ofSeconds(30))
                    .until(() -> contains(screen, bobHandle + ": hi terminal") && contains(screen, "read: \"hello from the terminal\""));
            type(keyboard, "/list");
            await("the list shows the conversation").atMost(Duration.ofSeconds(10))
                    .until(() -> contains(screen, "1. chat with " + bobHandle));
            type(keyboard, "/quit");
            assertThat(chat.waitFor(30, TimeUnit.SECONDS)).as("the chat ends on /quit").isTrue();
            assertThat(chat.exitValue()).isZero();
        } finally {
            chat.destroyForcibly();
            reader.join(5_000);
        }
    }

    @Test
    void killedWithMessagesStillQueuedTheChatSendsTheRestOnTheNextStartExactlyOnce() throws Exception {
        ChatStack stack = ChatStack.shared();
        String bobHandle = "bob_" + UUID.randomUUID().toString().substring(0, 8);
        stack.accounts().register(bobHandle, "Bob", ChatStack.password(bobHandle));
        Credentials bob = stack.accounts().login(bobHandle, ChatStack.password(bobHandle), "laptop");
        String adaHandle = "ada_" + UUID.randomUUID().toString().substring(0, 8);
        int count = 150;
        List<String> expected = java.util.stream.IntStream.range(0, count).mapToObj(i -> "line " + i).toList();
        Path outboxFile = dataDirs.resolve("terminal/outbox.jsonl");
        RecordingListener bobSees = new RecordingListener();
        try (ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob, bobSees)) {
            bobClient.start();

            Process first = startChat(stack, adaHandle, true);
            List<String> firstScreen = new CopyOnWriteArrayList<>();
            readLines(first, firstScreen);
            Writer keyboard = new java.io.OutputStreamWriter(first.getOutputStream(), StandardCharsets.UTF_8);
            type(keyboard, ChatStack.password(adaHandle));
            await("online").atMost(Duration.ofSeconds(60)).until(() -> contains(firstScreen, "* online"));
            type(keyboard, "/open " + bobHandle);
            await("opened").atMost(Duration.ofSeconds(30)).until(() -> contains(firstScreen, "--- chat with"));
            for (String line : expected) {
                keyboard.write(line + "\n");
            }
            keyboard.flush();
            await("all queued, a few sent").atMost(Duration.ofSeconds(60))
                    .until(() -> count(firstScreen, "queued: \"line ") == count && count(firstScreen, " sent: \"line ") >= 5);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            List<String> queuedAtKill = pendingTexts(outboxFile);
            assertThat(queuedAtKill).as("still in the outbox when killed").isNotEmpty();
            assertThat(queuedAtKill).as("the unsent tail, in order").containsExactlyElementsOf(
                    expected.subList(count - queuedAtKill.size(), count));

            Process second = startChat(stack, adaHandle, false);
            List<String> secondScreen = new CopyOnWriteArrayList<>();
            readLines(second, secondScreen);
            try (Writer keyboard2 = new java.io.OutputStreamWriter(second.getOutputStream(), StandardCharsets.UTF_8)) {
                type(keyboard2, ChatStack.password(adaHandle));
                UUID ada = stack.accounts().userIdOf(adaHandle);
                String conversation = dev.parley.protocol.ConversationId.direct(bob.userId(), ada).value();
                await("the outbox empties and Bob has the last line").atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> pendingTexts(outboxFile).isEmpty() && bobClient.messages(conversation).stream()
                                .anyMatch(m -> m.text().equals("line " + (count - 1))));
                type(keyboard2, "/quit");
                assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(secondScreen).as("nothing left for next time").anyMatch(l -> l.contains("bye"))
                        .noneMatch(l -> l.contains("queued for next time"));
                assertThat(pendingTexts(outboxFile)).as("the outbox on disk after the restart").isEmpty();

                // Every send was stored before the outbox let it go, each after the one before: a line stored
                // twice would hold a seq below the last line's, so the last line at seq 150 means none was.
                List<Envelope> held = bobClient.messages(conversation);
                assertThat(held).extracting(Envelope::text).containsExactlyElementsOf(expected);
                assertThat(held).extracting(Envelope::seq).containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, count).boxed().toList());
                assertThat(bobSees.from(ada)).as("as they reached Bob's client, each once")
                        .extracting(Envelope::text).containsExactlyElementsOf(expected);
            } finally {
                second.destroyForcibly();
            }
        }
    }

    /** The texts the outbox file still holds (an add line without its done line), in order, as a restart reads it. */
    private static List<String> pendingTexts(Path outboxFile) throws IOException {
        java.util.Map<String, String> pending = new java.util.LinkedHashMap<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(outboxFile, StandardCharsets.UTF_8)) {
            com.fasterxml.jackson.databind.JsonNode entry;
            try {
                entry = json.readTree(line);
            } catch (IOException e) {
                continue; // a line the kill cut short (the outbox skips it the same way)
            }
            if (entry == null || !entry.has("op")) {
                continue;
            }
            if ("add".equals(entry.path("op").asText())) {
                pending.put(entry.path("clientMsgId").asText(), entry.path("text").asText());
            } else {
                pending.remove(entry.path("clientMsgId").asText());
            }
        }
        return List.copyOf(pending.values());
    }

    @Test
    void theTerminalShowsAFriendsPresenceAndTypingAndSendsTyping() throws Exception {
        ChatStack stack = ChatStack.shared();
        String bobHandle = "bob_" + UUID.randomUUID().toString().substring(0, 8);
        stack.accounts().register(bobHandle, "Bob", ChatStack.password(bobHandle));
        Credentials bob = stack.accounts().login(bobHandle, ChatStack.password(bobHandle), "laptop");
        String adaHandle = "ada_" + UUID.randomUUID().toString().substring(0, 8);
        stack.accounts().register(adaHandle, "Ada", ChatStack.password(adaHandle));
        Credentials adaOnRest = stack.accounts().login(adaHandle, ChatStack.password(adaHandle), "rest");
        dev.parley.client.friends.FriendsApi friends = new dev.parley.client.friends.FriendsApi(stack.rest());
        friends.request(adaOnRest, bob.userId());
        friends.request(bob, adaOnRest.userId());
        RecordingListener bobSees = new RecordingListener();

        Process chat = startChat(stack, adaHandle, false);
        List<String> screen = new CopyOnWriteArrayList<>();
        Thread reader = readLines(chat, screen);
        try (Writer keyboard = new java.io.OutputStreamWriter(chat.getOutputStream(), StandardCharsets.UTF_8)) {
            type(keyboard, ChatStack.password(adaHandle));
            await("logged in and online").atMost(Duration.ofSeconds(60)).until(() -> contains(screen, "* online"));
            await("the friends list at start").atMost(Duration.ofSeconds(30)).until(() -> contains(screen, "  " + bobHandle + " (Bob)"));
            type(keyboard, "/open " + bobHandle);
            await("the conversation opens").atMost(Duration.ofSeconds(30)).until(() -> contains(screen, "--- chat with " + bobHandle));

            try (ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob, bobSees)) {
                bobClient.start();
                await("the terminal shows Bob online").atMost(Duration.ofSeconds(30))
                        .until(() -> contains(screen, "* " + bobHandle + " is online"));
                await("Bob online").atMost(Duration.ofSeconds(30)).until(bobClient::isCaughtUp);

                bobClient.typing(dev.parley.client.outbox.Destination.user(adaOnRest.userId()),
                        dev.parley.protocol.typing.TypingState.TYPING);
                await("the terminal shows Bob typing").atMost(Duration.ofSeconds(30))
                        .until(() -> contains(screen, "* " + bobHandle + " is typing"));

                type(keyboard, "/typing");
                await("Bob's client is told Ada is typing").atMost(Duration.ofSeconds(30))
                        .until(() -> bobSees.typing.stream().anyMatch(t -> t.from().equals(adaOnRest.userId())
                                && t.state() == dev.parley.protocol.typing.TypingState.TYPING));
            }
            await("the terminal shows Bob offline with his last seen").atMost(Duration.ofSeconds(30))
                    .until(() -> contains(screen, "* " + bobHandle + " is offline, last seen "));
            type(keyboard, "/quit");
            assertThat(chat.waitFor(30, TimeUnit.SECONDS)).as("the chat ends on /quit").isTrue();
        } finally {
            chat.destroyForcibly();
            reader.join(5_000);
        }
    }

    private static long count(List<String> screen, String text) {
        return screen.stream().filter(line -> line.contains(text)).count();
    }

    private Process startChat(ChatStack stack, String handle) throws IOException {
        return startChat(stack, handle, true);
    }

    private Process startChat(ChatStack stack, String handle, boolean register) throws IOException {
        Path module = ChatStack.HOME.resolve("mobile-client-sample/target");
        String classpath = module.resolve("classes") + ":" + Files.readString(module.resolve("chat.classpath")).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", classpath, "dev.parley.client.cli.ChatMain",
                "--handle", handle, "--name", "Ada at the terminal",
                "--rest", stack.rest().toString(), "--mqtt", stack.mqtt().toString(),
                "--data-dir", dataDirs.resolve("terminal").toString()));
        if (register) {
            command.add("--register");
        }
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static Thread readLines(Process process, List<String> lines) {
        Thread thread = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "chat-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void type(Writer keyboard, String line) throws IOException {
        keyboard.write(line + "\n");
        keyboard.flush();
    }

    private static boolean contains(List<String> screen, String text) {
        return screen.stream().anyMatch(line -> line.contains(text));
    }
}
