package dev.switchboard.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook queue of one node without Redis, on local disk ({@code webhook_journal_dir}): one file of JSON lines,
 * a batch appended ({@code {"add":{…}}}) before its first attempt and acknowledged ({@code {"ack":"<id>"}}) once
 * delivered or given up. The next start replays it: every batch added and not acknowledged is sent again, with its
 * id, and its retry window counted from its {@code time_ms}.
 *
 * <p>fsync policy: an append is written and forced to disk before the batch is attempted, so a batch the receiver
 * may have seen is always in the journal; an acknowledgement is written without forcing (a crash may lose the last
 * ones, and those batches are sent once more, with the same id). A torn last line (a crash mid-write) is skipped.
 * The file is compacted (the batches still owed written to a new file, forced, renamed over the old one) at start
 * and whenever it holds more than {@value #COMPACT_RECORDS} records and four times as many as batches owed.
 *
 * <p>Called on the webhook thread; synchronized for the close after it stopped.
 */
public final class WebhookJournal implements WebhookQueue {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookJournal.class);
    static final String FILE = "webhooks.journal";
    static final int COMPACT_RECORDS = 1024;

    private final Path dir;
    private final Path file;
    /** Batches added and not acknowledged, in the order added. */
    private final Map<String, QueuedBatch> owed = new LinkedHashMap<>();
    /** What the previous run owed, handed out by the first {@link #claim()}. */
    private List<QueuedBatch> replay;
    private FileChannel out;
    private long records;

    private WebhookJournal(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
    }

    /** Opens (or creates) the journal in {@code dir}, reads what the previous run owed and compacts the file. */
    public static WebhookJournal open(Path dir) {
        WebhookJournal j = new WebhookJournal(dir);
        try {
            Files.createDirectories(dir);
            j.read();
            j.replay = List.copyOf(j.owed.values());
            j.compact();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the webhook journal in " + dir, e);
        }
        if (!j.replay.isEmpty()) {
            LOG.info("Webhook journal {}: {} batch(es) owed by the previous run are sent again", j.file, j.replay.size());
        }
        return j;
    }

    private void read() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        byte[] all = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') {
                continue;
            }
            JsonNode record;
            try {
                record = WireCodec.parse(new String(all, start, i - start, StandardCharsets.UTF_8));
            } catch (RuntimeException torn) {
                LOG.warn("Webhook journal {}: an unreadable record at byte {} is skipped", file, start);
                start = i + 1;
                continue;
            }
            start = i + 1;
            if (record.has("add")) {
                QueuedBatch b = fromJson(record.get("add"));
                owed.put(b.id(), b);
            } else if (record.has("ack")) {
                owed.remove(record.get("ack").asText());
            }
        }
        // bytes after the last newline: a record torn by a crash mid-write, never forced, never attempted
    }

    @Override
    public synchronized CompletionStage<Void> append(QueuedBatch batch) {
        try {
            write(Map.of("add", toJson(batch)), true);
            owed.put(batch.id(), batch);
            return CompletableFuture.completedFuture(null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public synchronized void ack(QueuedBatch batch) {
        if (owed.remove(batch.id()) == null || out == null) {
            return;
        }
        try {
            write(Map.of("ack", batch.id()), false);
            if (records > COMPACT_RECORDS && records > 4L * owed.size()) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized CompletionStage<List<QueuedBatch>> claim() {
        List<QueuedBatch> r = replay == null ? List.of() : replay;
        replay = null;
        return CompletableFuture.completedFuture(r);
    }

    @Override
    public long claimEveryMillis() {
        return 0;
    }

    @Override
    public boolean durable() {
        return true;
    }

    private void write(Object record, boolean force) throws IOException {
        byte[] line = WireCodec.writeBytes(record);
        ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        if (force) {
            out.force(false);
        }
        records++;
    }

    /** Writes what is owed to a new file, forces it and renames it over the journal (atomic on one file system). */
    private void compact() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (QueuedBatch b : owed.values()) {
                byte[] line = WireCodec.writeBytes(Map.of("add", toJson(b)));
                ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
                while (buf.hasRemaining()) {
                    c.write(buf);
                }
            }
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // the rename itself
        } catch (IOException e) {
            // some file systems cannot open a directory; the rename is then as durable as they make it
        }
        records = owed.size();
        out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.force(false); // the acknowledgements, so the next start sends less twice
                out.close();
                out = null;
            }
        } catch (IOException e) {
            LOG.warn("Closing the webhook journal {}: {}", file, e.toString());
        }
    }

    private static Map<String, Object> toJson(QueuedBatch b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("app", b.appId());
        m.put("key", b.appKey());
        m.put("url", b.url());
        m.put("headers", b.headers());
        m.put("sig", b.signature());
        m.put("n", b.events());
        m.put("t", b.timeMillis());
        m.put("body", new String(b.body(), StandardCharsets.UTF_8));
        return m;
    }

    private static QueuedBatch fromJson(JsonNode n) {
        Map<String, String> headers = new LinkedHashMap<>();
        n.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        return new QueuedBatch(n.get("id").asText(), n.get("app").asText(), n.get("key").asText(), n.get("url").asText(),
                headers, n.get("sig").asText(), n.get("body").asText().getBytes(StandardCharsets.UTF_8),
                n.get("n").asInt(), n.get("t").asLong());
    }

    /** Lines in the file now (for tests). */
    synchronized long records() {
        return records;
    }

    /** Batches owed now (for tests). */
    synchronized List<QueuedBatch> owed() {
        return new ArrayList<>(owed.values());
    }
}
