package dev.switchboard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Netty's leak detector at PARANOID (every buffer tracked), its reports captured from the log so that a test
 * fails on one. The surefire fuzz execution sets {@code -Dio.netty.leakDetection.level=paranoid}; run any other
 * way (one class with {@code -Dtest}), {@link #start} sets the level itself, which Netty reads on every tracked
 * allocation.
 */
public final class LeakWatch {
    private static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();

    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            if (e.getFormattedMessage().contains("LEAK")) {
                reports.add(e.getFormattedMessage());
            }
        }
    };

    public static LeakWatch start() {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        LeakWatch w = new LeakWatch();
        Logger logger = (Logger) LoggerFactory.getLogger(DETECTOR_LOGGER);
        w.appender.setContext(logger.getLoggerContext());
        w.appender.start();
        logger.addAppender(w.appender);
        return w;
    }

    /**
     * Collects garbage and allocates tracked buffers, which is when Netty reports the leaks it found, then fails on
     * any report.
     */
    public void assertNoLeaks() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            System.runFinalization();
            for (int i = 0; i < 64; i++) {
                ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                pooled.release();
                ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(64);
                unpooled.release();
            }
        }
        assertThat(reports).as("Netty leak reports").isEmpty();
    }

    public void stop() {
        Logger logger = (Logger) LoggerFactory.getLogger(DETECTOR_LOGGER);
        logger.detachAppender(appender);
        appender.stop();
    }
}
