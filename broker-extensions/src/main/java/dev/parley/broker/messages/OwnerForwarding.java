package dev.parley.broker.messages;

import dev.parley.protocol.Payloads;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a send to the node that owns its conversation and waits for the answer, through Redis
 * pub/sub: requests on {@code parley:node:{owner}:sends}, answers on {@code parley:node:{me}:replies}.
 * A lost request or answer (Redis or the owner gone) ends in a timeout, which the sender sees as an
 * error PUBACK; its retry with the same clientMsgId is then stored once, wherever it lands.
 */
final class OwnerForwarding implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerForwarding.class);

    private final String nodeId;
    private final StatefulRedisConnection<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> subscriptions;
    private final Duration timeout;
    private final Map<String, CompletableFuture<SequencerResult>> waiting = new ConcurrentHashMap<>();

    /**
     * @param handleAsOwner what this node does with a send forwarded to it: sequence it, never forward it again
     */
    OwnerForwarding(String nodeId, StatefulRedisConnection<String, String> redis,
                    StatefulRedisPubSubConnection<String, String> subscriptions, Duration timeout,
                    Function<Submission, CompletionStage<SequencerResult>> handleAsOwner) {
        this.nodeId = nodeId;
        this.redis = redis;
        this.subscriptions = subscriptions;
        this.timeout = timeout;
        String sends = sendsChannel(nodeId);
        String replies = repliesChannel(nodeId);
        subscriptions.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                if (channel.equals(sends)) {
                    onRequest(message, handleAsOwner);
                } else if (channel.equals(replies)) {
                    onReply(message);
                }
            }
        });
        subscriptions.sync().subscribe(sends, replies);
    }

    static String sendsChannel(String node) {
        return "parley:node:" + node + ":sends";
    }

    static String repliesChannel(String node) {
        return "parley:node:" + node + ":replies";
    }

    CompletionStage<SequencerResult> forward(String owner, Submission submission) {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<SequencerResult> answer = new CompletableFuture<SequencerResult>()
                .completeOnTimeout(new SequencerResult.Failed(SequencerResult.Kind.OWNED_ELSEWHERE,
                        "message not stored: broker node " + owner + " that orders this conversation did not answer in "
                                + timeout.toMillis() + " ms; retry the send"), timeout.toMillis(), TimeUnit.MILLISECONDS);
        waiting.put(requestId, answer);
        answer.whenComplete((r, e) -> waiting.remove(requestId));
        String request = new String(Payloads.toJson(ForwardedSend.Request.of(requestId, nodeId, submission)),
                StandardCharsets.UTF_8);
        redis.async().publish(sendsChannel(owner), request).whenComplete((receivers, error) -> {
            if (error != null || receivers == 0) {
                answer.complete(new SequencerResult.Failed(SequencerResult.Kind.OWNED_ELSEWHERE,
                        "message not stored: broker node " + owner + " that orders this conversation is not reachable"
                                + (error != null ? " (" + error.getMessage() + ")" : "") + "; retry the send"));
            }
        });
        return answer;
    }

    private void onRequest(String message, Function<Submission, CompletionStage<SequencerResult>> handleAsOwner) {
        ForwardedSend.Request request;
        try {
            request = Payloads.fromJson(message.getBytes(StandardCharsets.UTF_8), ForwardedSend.Request.class);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring a malformed forwarded send on {}: {}", sendsChannel(nodeId), e.getMessage());
            return;
        }
        handleAsOwner.apply(request.submission())
                .exceptionally(error -> new SequencerResult.Failed(SequencerResult.Kind.STORE_UNAVAILABLE,
                        "message not stored: " + error.getMessage()))
                .thenAccept(result -> redis.async().publish(repliesChannel(request.replyTo()),
                        new String(Payloads.toJson(ForwardedSend.Reply.of(request.requestId(), result)), StandardCharsets.UTF_8)));
    }

    private void onReply(String message) {
        ForwardedSend.Reply reply;
        try {
            reply = Payloads.fromJson(message.getBytes(StandardCharsets.UTF_8), ForwardedSend.Reply.class);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring a malformed reply on {}: {}", repliesChannel(nodeId), e.getMessage());
            return;
        }
        CompletableFuture<SequencerResult> answer = waiting.get(reply.requestId());
        if (answer != null) {
            answer.complete(reply.result());
        }
    }

    @Override
    public void close() {
        subscriptions.close();
        waiting.values().forEach(f -> f.complete(new SequencerResult.Failed(SequencerResult.Kind.OWNED_ELSEWHERE,
                "broker node stopping; retry the send")));
    }
}
