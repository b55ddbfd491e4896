package dev.parley.persistence.accounts;

import dev.parley.store.accounts.UniqueClaims;

/** The three unique values of an account, as one bean (one producer, no qualifiers needed). */
public record AccountClaims(UniqueClaims handles, UniqueClaims emails, UniqueClaims phones) {
}
