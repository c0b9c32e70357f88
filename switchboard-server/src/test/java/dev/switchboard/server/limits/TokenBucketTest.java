package dev.switchboard.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    static final long MS = 1_000_000L;

    @Test
    void startsFullRefillsContinuouslyAndNeverHoldsMoreThanOneSecond() {
        TokenBucket b = new TokenBucket(4, 0);
        for (int i = 0; i < 4; i++) {
            assertThat(b.tryAcquire(0)).isZero();
        }
        assertThat(b.tryAcquire(0)).isEqualTo(250 * MS);
        assertThat(b.tryAcquire(100 * MS)).isEqualTo(150 * MS);
        assertThat(b.tryAcquire(250 * MS)).isZero();
        // A long silence refills to the rate, not beyond it.
        long later = 60_000 * MS;
        for (int i = 0; i < 4; i++) {
            assertThat(b.tryAcquire(later)).isZero();
        }
        assertThat(b.tryAcquire(later)).isPositive();
    }

    @Test
    void retryAfterIsWholeSecondsAndAtLeastOne() {
        assertThat(TokenBucket.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(TokenBucket.retryAfterSeconds(1_000 * MS)).isEqualTo(1);
        assertThat(TokenBucket.retryAfterSeconds(1_001 * MS)).isEqualTo(2);
    }

    @Test
    void keyedLimiterCountsEachKeyAloneAndForgetsRefilledKeys() {
        AtomicLong now = new AtomicLong();
        KeyedRateLimiter l = new KeyedRateLimiter(2, now::get);
        assertThat(l.tryAcquire("a")).isZero();
        assertThat(l.tryAcquire("a")).isZero();
        assertThat(l.tryAcquire("a")).isPositive();
        assertThat(l.tryAcquire("b")).isZero();
        l.sweep();
        assertThat(l.size()).isEqualTo(2);
        now.addAndGet(600 * MS);
        l.sweep();
        // "b" (one used, refilled) is forgotten; "a" had two used and is still refilling.
        assertThat(l.size()).isEqualTo(1);
        now.addAndGet(1_000 * MS);
        l.sweep();
        assertThat(l.size()).isZero();
    }
}
