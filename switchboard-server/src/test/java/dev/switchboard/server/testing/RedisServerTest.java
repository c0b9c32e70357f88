package dev.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The fixture itself: a private, empty Redis on a free port that dies on kill -9 and comes back empty. */
class RedisServerTest {

    @Test
    void startsOnAFreePortAndRestartsEmptyAfterKill() {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.port()).isNotEqualTo(6379);
            assertThat(redis.command("SET", "k", "v")).isEqualTo("+OK");
            assertThat(redis.command("GET", "k")).isEqualTo("v");

            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(IllegalStateException.class);

            redis.restart();
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.command("GET", "k")).isEqualTo("(nil)");
        }
    }

    @Test
    void passwordIsRequiredWhenSet() {
        try (RedisServer redis = RedisServer.start("s3cret")) {
            assertThat(redis.url()).isEqualTo("redis://:s3cret@127.0.0.1:" + redis.port());
            assertThat(redis.command("PING")).isEqualTo("+PONG");
            assertThat(redis.command("CONFIG", "GET", "requirepass")).contains("s3cret");
        }
    }
}
