package dev.parley.persistence.accounts;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/users}. */
@Schema(name = "Registration", description = "A new account")
public record RegistrationRequest(
        @Schema(required = true, example = "ada", minLength = 3, maxLength = 32, pattern = "^[a-z0-9_.]{3,32}$",
                description = "Unique; 3-32 characters of lower-case a-z, 0-9, _ and .") String handle,
        @Schema(required = true, example = "Ada Lovelace", minLength = 1, maxLength = 64,
                description = "1-64 characters (Unicode code points), not only spaces") String displayName,
        @Schema(required = true, minLength = 10, maxLength = 128, format = "password",
                description = "10-128 characters; stored only as an Argon2id hash") String password,
        @Schema(example = "+447700900123", pattern = "^\\+[1-9][0-9]{1,14}$",
                description = "Optional; unique; E.164 (+ country code and number, no spaces)") String phone,
        @Schema(example = "ada@example.org", format = "email", maxLength = 254,
                description = "Optional; unique (case-insensitive)") String email) {
}
