package dev.switchboard.server.dashboard;

import dev.switchboard.server.access.BearerToken;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.edge.StreamSink;
import dev.switchboard.server.engine.EngineEvent;
import dev.switchboard.server.engine.EngineEvent.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token check, the per-second ring and the console's budget, without a server. */
class DashboardUnitsTest {
    private static final AppConfig APP = AppConfig.defaults("a", "k", "s");

    @Test
    void theTokenIsAcceptedOnlyWholeAndAsABearerToken() {
        BearerToken t = BearerToken.of("configured-token-0123456789");
        assertThat(t.generated()).isFalse();
        assertThat(t.accepts("Bearer configured-token-0123456789")).isTrue();
        assertThat(t.accepts("bearer configured-token-0123456789")).isTrue();
        assertThat(t.accepts("Bearer configured-token-012345678")).isFalse();
        assertThat(t.accepts("Bearer configured-token-01234567890")).isFalse();
        assertThat(t.accepts("Bearer Configured-token-0123456789")).isFalse();
        assertThat(t.accepts("configured-token-0123456789")).isFalse();
        assertThat(t.accepts("Bearer ")).isFalse();
        assertThat(t.accepts(null)).isFalse();
    }

    @Test
    void anEmptySettingMakesAFreshRandomTokenEachStart() {
        BearerToken a = BearerToken.of("");
        BearerToken b = BearerToken.of(null);
        assertThat(a.generated()).isTrue();
        assertThat(a.value()).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(b.value());
        assertThat(a.accepts("Bearer " + a.value())).isTrue();
        assertThat(a.accepts("Bearer " + b.value())).isFalse();
    }

    @Test
    void throughputKeepsTheLastFiveMinutesOldestFirst() {
        Throughput t = new Throughput();
        for (int second = 1; second <= Throughput.SECONDS + 5; second++) {
            for (int i = 0; i < second; i++) {
                t.on(new EngineEvent.MessageIn(APP, 10));
            }
            t.delivered(APP, 2 * second, 10);
            t.tick();
        }
        Throughput.Series s = t.series("a");
        assertThat(s.in()).hasSize(Throughput.SECONDS);
        assertThat(s.in()[0]).isEqualTo(6);
        assertThat(s.in()[Throughput.SECONDS - 1]).isEqualTo(Throughput.SECONDS + 5);
        assertThat(s.out()[Throughput.SECONDS - 1]).isEqualTo(2L * (Throughput.SECONDS + 5));
        assertThat(t.latest("a")).containsExactly(Throughput.SECONDS + 5, 2L * (Throughput.SECONDS + 5));
        assertThat(t.series("unknown").in()).isEmpty();
    }

    @Test
    void aConsoleTakesItsBudgetEachSecondAndCountsTheRest() {
        ConsoleFeed feed = new ConsoleFeed(3);
        feed.on(new EngineEvent.EventPublished(APP, "c", "before-any-console", 1, Origin.HTTP_API));
        ConsoleFeed.Console c = feed.open("a", new OpenSink());
        for (int i = 0; i < 5; i++) {
            feed.on(new EngineEvent.EventPublished(APP, "c", "e" + i, 10, Origin.CLIENT_EVENT));
        }
        List<Map<String, Object>> got = c.drain();
        assertThat(got).extracting(m -> m.get("event")).containsExactly("e0", "e1", "e2");
        assertThat(got.get(0)).containsEntry("origin", "client_event").containsEntry("bytes", 10);
        assertThat(c.takeSkipped()).isEqualTo(2);
        c.newSecond();
        feed.on(new EngineEvent.EventPublished(APP, null, "user_online", 40, Origin.WEBHOOK));
        assertThat(c.drain()).extracting(m -> m.get("origin")).containsExactly("webhook");
        feed.remove(c);
        assertThat(feed.all()).isEmpty();
    }

    private static final class OpenSink implements StreamSink {
        final List<String> sent = new ArrayList<>();

        @Override
        public boolean send(String text) {
            sent.add(text);
            return true;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }
}
