package dev.parley.protocol.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class UnfriendingsTest {

    @Test
    void aMessageNamesBothUsers() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        assertThat(Unfriendings.parse(Unfriendings.message(a, b))).contains(new Unfriendings.Pair(a, b));
    }

    @Test
    void anythingElseNamesNoOne() {
        assertThat(Unfriendings.parse(null)).isEmpty();
        assertThat(Unfriendings.parse("")).isEmpty();
        assertThat(Unfriendings.parse(UUID.randomUUID().toString())).isEmpty();
        assertThat(Unfriendings.parse(UUID.randomUUID() + ":not-a-user")).isEmpty();
        assertThat(Unfriendings.parse(UUID.randomUUID() + ":" + UUID.randomUUID() + ":" + UUID.randomUUID())).isEmpty();
    }
}
