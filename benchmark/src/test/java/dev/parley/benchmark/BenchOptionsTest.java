package dev.parley.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsRunEveryWorkloadAgainstBothTargetsAtTheProfilesRates() {
        BenchOptions options = BenchOptions.parse(List.of());
        assertThat(options.against("plain")).isTrue();
        assertThat(options.against("parley")).isTrue();
        assertThat(options.runs("history")).isTrue();
        assertThat(options.rates()).isNull();
        assertThat(options.jfr()).isFalse();
        assertThat(options.pin()).isTrue();
        assertThat(options.storeApart()).isFalse();
    }

    @Test
    void theStoreCanRunApartFromTheBrokersWhenProcessesArePinned() {
        assertThat(BenchOptions.parse(List.of("--store-apart")).storeApart()).isTrue();
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--store-apart", "--no-pin")))
                .hasMessageContaining("cannot go with --no-pin");
    }

    @Test
    void aProfilingRunNamesItsTargetRatesAndRecording() {
        BenchOptions options = BenchOptions.parse(List.of("--only", "1to1", "--target", "parley", "--rates",
                "300, 300,600", "--jfr"));
        assertThat(options.against("plain")).isFalse();
        assertThat(options.against("parley")).isTrue();
        assertThat(options.rates()).containsExactly(300, 300, 600);
        assertThat(options.jfr()).isTrue();
        assertThat(options.runs("groups")).isFalse();
    }

    @Test
    void badValuesAreRefusedWithWhatIsAllowed() {
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--target", "mosquitto")))
                .hasMessageContaining("--target takes one of");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--rates", "fast")))
                .hasMessageContaining("comma-separated list of msg/s");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--rates", "0")))
                .hasMessageContaining("between 1 and 100000");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--rates")))
                .hasMessageContaining("--rates needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--only", "history,chat")))
                .hasMessageContaining("--only takes some of");
    }
}
