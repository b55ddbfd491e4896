package dev.parley.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web client (web-client/, served by persistence-service) in a real browser: Bob's web device in Chromium on
 * mqtt.js over MQTT-over-WebSocket, his phone and Alice's phone and laptop on Paho over TCP, against the stack
 * `./parley up` starts.
 */
@Timeout(420)
class WebChatInBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STEP = Duration.ofSeconds(60);

    @TempDir
    static Path workDir;

    private static ParleyUp up;
    private static Properties stack;

    @BeforeAll
    static void startStack() {
        up = ParleyUp.startAndAwaitReady(workDir.resolve("data"));
        stack = up.stack();
    }

    @AfterAll
    static void stopStack() {
        if (up != null) {
            up.interrupt();
            up.close();
        }
    }

    @Test
    void bobChatsFromTheBrowserWithAliceOnHerPhone() throws Exception {
        RestClient rest = new RestClient(stack.getProperty("rest"));
        RestClient.Account alice = rest.register("Alice", "phone");
        RestClient.Account bob = rest.register("Bob", "phone");
        RestClient.Account aliceLaptop = rest.login(alice.handle(), "laptop");
        assertThat(rest.send("POST", "/v1/me/friend-requests", alice, "{\"to\":\"" + bob.userId() + "\"}").status())
                .isEqualTo(201);
        assertThat(rest.send("POST", "/v1/me/friend-requests/" + alice.userId() + "/accept", bob, null).status() / 100)
                .isEqualTo(2);
        String bobsInbox = "users/" + bob.userId() + "/messages";

        try (Device alicePhone = Device.connect(stack.getProperty("mqtt.tcp"), alice);
             Device aliceOnLaptop = Device.connect(stack.getProperty("mqtt.tcp"), aliceLaptop);
             Device bobPhone = Device.connect(stack.getProperty("mqtt.tcp"), bob);
             BrowserScenario browser = BrowserScenario.start(workDir.resolve("browser"), "web-chat.mjs", Map.of(
                     "WEB_URL", stack.getProperty("web"),
                     "BOB_HANDLE", bob.handle(),
                     "BOB_PASSWORD", RestClient.PASSWORD,
                     "ALICE_HANDLE", alice.handle(),
                     "ALICE_NAME", "Alice"))) {
            assertThat(alicePhone.announceOnline()).isZero();

            assertThat(browser.awaitStep("bad-login-refused", STEP)).contains("the handle or the password is wrong");
            browser.awaitStep("online", STEP);
            assertThat(browser.awaitStep("unknown-handle-refused", STEP)).contains("nobody.has.this.handle");
            browser.awaitStep("alice-online", STEP);

            JsonNode shown = JSON.readTree(browser.awaitStep("sent", STEP));
            int sentSeq = shown.path("seq").asInt();
            // One message, one id and one seq on all four devices: the page, Bob's phone, Alice's phone and laptop.
            for (Device device : List.of(alicePhone, aliceOnLaptop, bobPhone)) {
                JsonNode envelope = await("Bob's message on every device").atMost(STEP).until(() -> device.messages().stream()
                        .filter(m -> m.path("text").asText().equals("Hello from the browser")).findFirst(), Optional::isPresent)
                        .orElseThrow();
                assertThat(envelope.path("id").asText()).isEqualTo(shown.path("id").asText());
                assertThat(envelope.path("seq").asInt()).isEqualTo(sentSeq);
                assertThat(envelope.path("from").asText()).isEqualTo(bob.userId().toString());
            }
            String conversation = alicePhone.messages().get(0).path("conversationId").asText();
            assertThat(alicePhone.publish("users/" + alice.userId() + "/receipts", "{\"conversationId\":\"" + conversation
                    + "\",\"type\":\"read\",\"upToSeq\":" + sentSeq + "}")).isZero();
            browser.awaitStep("read-by-alice", STEP);

            assertThat(alicePhone.publish(bobsInbox, "{\"clientMsgId\":\"phone-1\",\"text\":\"Hello from the phone\"}")).isZero();
            int receivedSeq = Integer.parseInt(browser.awaitStep("received", STEP).replace("seq=", ""));
            assertThat(receivedSeq).isEqualTo(sentSeq + 1);
            // The browser's PUBACK is "delivered", its view of the open chat "read": both reach Alice's phone.
            for (String type : List.of("delivered", "read")) {
                await(type + " from the browser at Alice's phone").atMost(STEP).until(() -> alicePhone.receipts().stream()
                        .anyMatch(r -> r.path("type").asText().equals(type) && r.path("by").asText().equals(bob.userId().toString())
                                && r.path("upToSeq").asInt() >= receivedSeq));
            }

            assertThat(browser.awaitStep("too-long-refused", STEP)).contains("text has 1001 characters; at most 1000 are allowed");

            browser.awaitStep("wait-typing", STEP);
            alicePhone.publish("users/" + bob.userId() + "/typing", "{\"state\":\"typing\"}");
            browser.go("typing");
            browser.awaitStep("alice-typing", STEP);

            browser.awaitStep("wait-back", STEP);
            for (int i = 1; i <= 3; i++) {
                assertThat(alicePhone.publish(bobsInbox, "{\"clientMsgId\":\"away-" + i + "\",\"text\":\"while away " + i + "\"}"))
                        .isZero();
            }
            browser.go("back");
            JsonNode caughtUp = JSON.readTree(browser.awaitStep("caught-up", STEP));
            assertThat(caughtUp.path("seqs")).as("every message once, in the conversation's order")
                    .extracting(JsonNode::asInt).containsExactlyElementsOf(IntStream.rangeClosed(1, 5).boxed().toList());
            assertThat(caughtUp.path("texts")).extracting(JsonNode::asText).containsExactly("Hello from the browser",
                    "Hello from the phone", "while away 1", "while away 2", "while away 3");

            browser.awaitStep("logged-out", STEP);
            assertThat(browser.awaitExit(STEP)).as(browser.output()).isZero();
        }
    }
}
