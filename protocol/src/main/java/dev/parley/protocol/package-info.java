/** Parley's wire format: topic names, payloads and their validation. Plain Java, no framework. */
package dev.parley.protocol;
