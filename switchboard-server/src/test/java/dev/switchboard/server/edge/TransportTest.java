package dev.switchboard.server.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.config.ConfigLoader.ConfigException;
import dev.switchboard.server.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Each transport the setting names carries the protocol end to end; one that cannot load here says so. */
class TransportTest {

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "io_uring", "nio"})
    void everyAvailableTransportDeliversEventsAndPlainAndDirectWrites(String name) throws Exception {
        Transport t = Transport.valueOf(name.toUpperCase());
        if (!t.available()) {
            // Not on this platform: asking for it must fail the start with the reason, not fall back quietly.
            assertThatThrownBy(() -> EdgeFixture.start("--transport=" + name))
                    .hasMessageContaining("transport " + name + " is not available");
            return;
        }
        try (EdgeFixture edge = EdgeFixture.start("--transport=" + name)) {
            RawWebSocket client = edge.subscribe("t");
            assertThat(edge.server().transport()).isEqualTo(name);
            // On by the transport's own default, not by a child option (one setsockopt(2) fewer per socket).
            assertThat(edge.server().socketsTcpNoDelay()).isNotEmpty().containsOnly(true);
            var app = edge.app();
            for (int i = 0; i < 200; i++) {
                app.trigger("t", "n", Integer.toString(i), null);
            }
            for (int i = 0; i < 200; i++) {
                assertThat(client.readUntil(RawWebSocket.TEXT).text()).contains("\"data\":\"" + i + "\"");
            }
        }
    }

    @Test
    void autoIsEpollWhereItLoadsAndAnUnknownNameIsAConfigError() {
        assertThat(Transport.of("auto")).isEqualTo(Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO);
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--transport=kqueue"}, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("transport must be");
    }
}
