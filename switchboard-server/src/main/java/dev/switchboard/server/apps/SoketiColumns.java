package dev.switchboard.server.apps;

import dev.switchboard.server.config.ConfigSetting;
import dev.switchboard.server.config.SoketiWebhooks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * soketi 1.6's apps table (its MySQL and PostgreSQL app managers) read in place: the columns whose names are
 * not ours, mapped onto our settings, and its webhooks JSON turned into ours. Columns soketi shares with us
 * ({@code id}, {@code key}, {@code secret}, {@code enabled}, {@code enable_client_messages},
 * {@code max_connections}, {@code max_channel_name_length}, {@code max_event_name_length}) need nothing. What
 * cannot be honoured is documented in docs/migrating-from-soketi.md; a webhook that cannot be is logged once.
 */
final class SoketiColumns {
    private static final Logger log = LoggerFactory.getLogger(SoketiColumns.class);

    /** soketi column to our setting, same unit. */
    static final Map<String, String> RENAMED = Map.of(
            "max_backend_events_per_sec", "max_api_requests_per_second",
            "max_client_events_per_sec", "max_client_events_per_second",
            "max_presence_members_per_channel", "max_presence_members",
            "max_event_channels_at_once", "max_channels_per_trigger",
            "max_event_batch_size", "max_batch_events",
            // soketi closes a socket that has not signed in within the timeout; ours also lets a private subscription count.
            "enable_user_authentication", "require_authorized_connections");

    /** soketi counts these in kilobytes (fractions allowed), we in bytes. */
    static final Map<String, String> KILOBYTES = Map.of(
            "max_presence_member_size_in_kb", "max_presence_user_info_bytes",
            "max_event_payload_in_kb", "max_event_data_bytes");

    /** Apps whose webhooks we already warned about, so a row read every cache period logs once. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private SoketiColumns() {}

    /**
     * Puts into {@code out} the setting that soketi's column {@code label} stands for, if it is one; a NULL is
     * left out (soketi then takes its server-wide default, we the setting's). Other columns are ignored, as an
     * operator's own columns are (soketi's {@code max_read_req_per_sec} among them: one API budget covers
     * every request here).
     */
    static void read(String label, ResultSet rs, int column, Map<String, ConfigSetting> settings,
                     Map<String, Object> out) throws SQLException {
        String renamed = RENAMED.get(label);
        if (renamed != null) {
            ConfigSetting s = settings.get(renamed);
            Object v = s.isBoolean() ? (Object) rs.getBoolean(column) : (Object) rs.getInt(column);
            if (!rs.wasNull()) {
                out.put(renamed, v);
            }
            return;
        }
        String bytes = KILOBYTES.get(label);
        if (bytes != null) {
            double kb = rs.getDouble(column);
            if (!rs.wasNull()) {
                out.put(bytes, kb < 0 ? -1 : (int) Math.round(kb * 1024));
            }
        }
    }

    /** soketi's webhooks JSON as ours ({@link SoketiWebhooks}); a webhook left out is logged once per app. */
    static String webhooks(String text, String appId) {
        return SoketiWebhooks.translate(text, why -> {
            if (WARNED.add(appId + " " + why)) {
                log.warn("App {}: {} (docs/migrating-from-soketi.md)", appId, why);
            }
        });
    }
}
