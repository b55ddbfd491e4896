package dev.parley.protocol.tokens;

import dev.parley.protocol.ClientIdentity;
import java.time.Instant;

/** A token that passed verification: the device it was issued to and when it stops being valid. */
public record VerifiedToken(ClientIdentity device, Instant expiresAt, String tokenId) {
}
