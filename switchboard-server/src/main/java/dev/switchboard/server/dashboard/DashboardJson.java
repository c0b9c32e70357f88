package dev.switchboard.server.dashboard;

import dev.switchboard.server.api.UserJson;
import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.engine.ChannelStats;
import dev.switchboard.server.engine.UserSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of the dashboard's answers. An app is described by id and key only: its secret is never
 * written here, and a test reads every answer for it.
 */
final class DashboardJson {
    /** The channel list shows this many (by name) and the total: enough to look at, bounded for a big app. */
    static final int CHANNELS_SHOWN = 200;

    private DashboardJson() {}

    static Map<String, Object> app(AppConfig app, AppQueries.Figures f, long[] lastSecond) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", app.id());
        m.put("key", app.key());
        m.put("enabled", app.enabled());
        m.put("connections", f.connections());
        m.put("channels", f.channels());
        m.put("users_online", f.usersOnline());
        m.put("messages_in_per_second", lastSecond[0]);
        m.put("messages_out_per_second", lastSecond[1]);
        return m;
    }

    static Map<String, Object> series(Throughput.Series s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", s.in().length);
        m.put("messages_in", s.in());
        m.put("messages_out", s.out());
        return m;
    }

    static Map<String, Object> channels(Map<String, ChannelStats> all) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map.Entry<String, ChannelStats> e : all.entrySet()) {
            if (list.size() == CHANNELS_SHOWN) {
                break;
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", e.getKey());
            c.put("subscription_count", e.getValue().subscriptionCount());
            if (e.getValue().userCount() >= 0) {
                c.put("user_count", e.getValue().userCount());
            }
            list.add(c);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", all.size());
        m.put("channels", list);
        return m;
    }

    /** The user data API's shape, so the page and the API read alike. */
    static Map<String, Object> user(UserSnapshot u) {
        return UserJson.snapshot(u);
    }
}
