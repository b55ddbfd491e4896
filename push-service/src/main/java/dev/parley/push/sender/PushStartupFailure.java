package dev.parley.push.sender;

/** Push-service cannot start as configured; the message is the one actionable line, without stack trace. */
final class PushStartupFailure extends RuntimeException {

    PushStartupFailure(String message) {
        super("push-service cannot start. " + message, null, false, false);
    }
}
