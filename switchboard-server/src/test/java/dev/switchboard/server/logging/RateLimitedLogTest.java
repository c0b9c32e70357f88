package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(30);

    private final AtomicLong now = new AtomicLong(1_000);
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Logger logger;
    private RateLimitedLog log;

    @BeforeEach
    void capture() {
        // A logger of its own, so nothing else the JVM logs lands in the list.
        logger = (Logger) LoggerFactory.getLogger(RateLimitedLogTest.class.getName() + "." + System.nanoTime());
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
        events.start();
        logger.addAppender(events);
        log = new RateLimitedLog(logger, INTERVAL, now::get);
    }

    @AfterEach
    void release() {
        logger.detachAppender(events);
    }

    @Test
    void theFirstIsLoggedRepeatsWithinTheIntervalAreCountedAndTheNextReportsTheCount() {
        log.warn("k", "Webhook to {} failed", "a");
        assertThat(messages()).containsExactly("Webhook to a failed");

        for (int i = 0; i < 5; i++) {
            now.addAndGet(INTERVAL / 10);
            log.warn("k", "Webhook to {} failed", "b");
        }
        assertThat(events.list).hasSize(1);

        now.set(1_000 + INTERVAL);
        log.warn("k", "Webhook to {} failed", "c");
        assertThat(messages()).containsExactly("Webhook to a failed", "Webhook to c failed (5 similar suppressed)");

        // The window restarts at the last line logged; with nothing suppressed there is no count.
        now.addAndGet(INTERVAL);
        log.warn("k", "Webhook to {} failed", "d");
        assertThat(messages()).last().isEqualTo("Webhook to d failed");
        assertThat(events.list).allMatch(e -> e.getLevel() == Level.WARN);
    }

    @Test
    void keysHaveWindowsOfTheirOwn() {
        log.warn("one", "first");
        log.warn("two", "second");
        log.warn("one", "first again");
        assertThat(messages()).containsExactly("first", "second");
    }

    @Test
    void errorsKeepTheirLevelAndAThrowableItsStackTrace() {
        IllegalStateException boom = new IllegalStateException("boom");
        log.error("e", "Shared state call failed for {}", "x", boom);
        assertThat(events.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).isEqualTo("Shared state call failed for x");
            assertThat(e.getThrowableProxy().getMessage()).isEqualTo("boom");
        });
        log.error("e", "Shared state call failed for {}", "y", boom);
        now.addAndGet(INTERVAL);
        log.error("e", "Shared state call failed for {}", "z", boom);
        assertThat(events.list).last().satisfies(e -> {
            assertThat(e.getFormattedMessage()).isEqualTo("Shared state call failed for z (1 similar suppressed)");
            assertThat(e.getThrowableProxy()).isNotNull();
        });
    }

    @Test
    void bracesInAFormattedArgumentAreNotPlaceholders() {
        log.warn("b", "Webhook to {} failed", "http://x/{}");
        now.addAndGet(1);
        log.warn("b", "again");
        now.addAndGet(INTERVAL);
        log.warn("b", "Webhook to {} failed", "http://x/{}");
        assertThat(messages()).containsExactly("Webhook to http://x/{} failed",
                "Webhook to http://x/{} failed (1 similar suppressed)");
    }

    @Test
    void theKeyMapStaysBoundedAndKeysPastTheBoundShareOneWindow() {
        for (int i = 0; i < RateLimitedLog.MAX_KEYS + 100; i++) {
            log.warn("key-" + i, "line {}", i);
        }
        assertThat(log.keys()).isEqualTo(RateLimitedLog.MAX_KEYS + 1);
        // The keys that found the map full were logged once between them, the rest counted.
        assertThat(events.list).hasSize(RateLimitedLog.MAX_KEYS + 1);
    }

    @Test
    void aDisabledLevelCostsNothingAndCountsNothing() {
        logger.setLevel(Level.ERROR);
        log.warn("w", "hidden");
        logger.setLevel(Level.DEBUG);
        log.warn("w", "shown");
        assertThat(messages()).containsExactly("shown");
    }

    private java.util.List<String> messages() {
        return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
