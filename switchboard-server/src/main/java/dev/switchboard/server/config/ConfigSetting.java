package dev.switchboard.server.config;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One setting of the configuration tree and every name it goes by. The list is read from the record
 * components of {@link ServerConfig} and {@link AppConfig}, so a component added there is at once a config-file
 * key, an environment variable, a flag and a row of docs/configuration.md; only its description lives here.
 *
 * @param scope     server-wide, or per app (env and flags address the first app)
 * @param component the record component name (camelCase)
 * @param key       its snake_case name: the config-file key
 * @param type      the Java type (String, int, boolean or a List of nested objects)
 */
public record ConfigSetting(Scope scope, String component, String key, Class<?> type, Type genericType,
                            String description) {

    public enum Scope { SERVER, APP }

    /** {@code SWITCHBOARD_PORT}, {@code SWITCHBOARD_APP_ENABLE_CLIENT_MESSAGES}. */
    public String envVar() {
        return (scope == Scope.SERVER ? "SWITCHBOARD_" : "SWITCHBOARD_APP_") + key.toUpperCase(Locale.ROOT);
    }

    /** {@code --port}, {@code --app-enable-client-messages}; {@code --redis} for {@code redis_url}. */
    public String flag() {
        if (scope == Scope.SERVER && key.equals("redis_url")) {
            return "--redis";
        }
        return (scope == Scope.SERVER ? "--" : "--app-") + key.replace('_', '-');
    }

    /** The key in the config file: {@code port}, or {@code apps[].max_connections}. */
    public String fileKey() {
        return scope == Scope.SERVER ? key : "apps[]." + key;
    }

    /** The key for {@code --set KEY=VALUE}: {@code port}, {@code app.max_connections}. */
    public String setKey() {
        return scope == Scope.SERVER ? key : "app." + key;
    }

    public boolean isBoolean() {
        return type == boolean.class || type == Boolean.class;
    }

    public boolean isInt() {
        return type == int.class || type == Integer.class;
    }

    public boolean isList() {
        return List.class.isAssignableFrom(type);
    }

    /** A list of plain strings (not of nested objects): also accepted as comma-separated text. */
    public boolean isStringList() {
        return isList() && genericType instanceof java.lang.reflect.ParameterizedType p
                && p.getActualTypeArguments()[0] == String.class;
    }

    public String typeLabel() {
        if (isBoolean()) {
            return "boolean";
        }
        if (isInt()) {
            return "integer";
        }
        if (isStringList()) {
            return "list of strings";
        }
        if (isList()) {
            return "JSON array";
        }
        return "string";
    }

    public static List<ConfigSetting> server() {
        return of(Scope.SERVER, ServerConfig.class);
    }

    public static List<ConfigSetting> app() {
        return of(Scope.APP, AppConfig.class);
    }

    public static List<ConfigSetting> all() {
        List<ConfigSetting> all = new ArrayList<>(server());
        all.addAll(app());
        return all;
    }

    private static List<ConfigSetting> of(Scope scope, Class<? extends Record> record) {
        List<ConfigSetting> out = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            String key = snake(c.getName());
            String text = (scope == Scope.SERVER ? SERVER_TEXT : APP_TEXT).get(key);
            out.add(new ConfigSetting(scope, c.getName(), key, c.getType(), c.getGenericType(),
                    text == null ? "" : text));
        }
        return List.copyOf(out);
    }

    /** {@code activityTimeoutSeconds} → {@code activity_timeout_seconds}. */
    public static String snake(String camel) {
        StringBuilder b = new StringBuilder(camel.length() + 8);
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch)) {
                b.append('_').append(Character.toLowerCase(ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    private static final Map<String, String> SERVER_TEXT = Map.ofEntries(
            Map.entry("host", "Interface to listen on; 0.0.0.0 for all."),
            Map.entry("port", "TCP port for WebSocket and HTTP alike; 0 picks a free port."),
            Map.entry("tls_cert", "PEM file with the server certificate (and its chain). With tls_key, serves wss:// and https:// (on port, or on tls_port). Reloaded on SIGHUP and when the file changes; open connections keep theirs."),
            Map.entry("tls_key", "PEM file with the certificate's private key (PKCS#8, unencrypted: BEGIN PRIVATE KEY)."),
            Map.entry("tls_port", "-1: TLS on port itself (TLS only there). Otherwise a second port that speaks TLS while port stays plain; 0 picks a free port."),
            Map.entry("tls_provider", "TLS implementation: auto (OpenSSL through netty-tcnative when it loads, else the JDK), openssl (fail to start without it) or jdk."),
            Map.entry("tls_watch_seconds", "How often tls_cert and tls_key are checked for a change (a changed file is loaded for new handshakes); 0: only on SIGHUP."),
            Map.entry("activity_timeout_seconds", "Sent to clients in connection_established (pusher-js pings after this much silence); the server also pings a socket silent this long."),
            Map.entry("pong_timeout_seconds", "After the server's ping, how long any frame may take to arrive before the socket is closed with 4201."),
            Map.entry("max_frame_bytes", "Largest WebSocket message (after reassembling fragments); larger closes the socket with 1009."),
            Map.entry("max_http_body_bytes", "Largest HTTP request body; larger is answered 413."),
            Map.entry("max_http_discard_bytes", "After a 413, up to this much of the rest of the body is read and thrown away (for at most 5 s) before the connection closes, so that a client still writing its body reads the 413 instead of a connection reset."),
            Map.entry("timestamp_skew_seconds", "Allowed distance between an HTTP API request's auth_timestamp and the server clock."),
            Map.entry("write_buffer_high_water_mark", "Bytes queued for one socket above which it is closed as a slow consumer (4101)."),
            Map.entry("write_buffer_low_water_mark", "Bytes queued below which a socket counts as writable again; at most the high mark."),
            Map.entry("shutdown_grace_seconds", "On shutdown (SIGTERM), after the drain, how long open requests and closing sockets get before the server stops."),
            Map.entry("shutdown_drain_seconds", "On shutdown (SIGTERM), the window over which the node closes its WebSockets with 4200 (a share every 10 ms, so a node with fewer than 100 sockets per second of window finishes sooner): the clients reconnect to the other nodes as a ramp, not all at once. Meanwhile GET /up answers 503 and new WebSocket upgrades get 503, so a load balancer sends new clients elsewhere. 0: all at once."),
            Map.entry("worker_threads", "Event-loop threads serving sockets; 0 means one per CPU core."),
            Map.entry("transport", "Socket transport: auto (native epoll when it loads, else the JDK's NIO), epoll, io_uring or nio; a named native transport that cannot load stops the start with the reason."),
            Map.entry("max_connections_per_ip_per_second", "New WebSocket connections one client address may open per second (token bucket, bursts up to the same number); one more is refused before the upgrade with HTTP 429 and Retry-After, which pusher-js and the Java client retry after their back-off. 0: no limit. Counted in switchboard_edge_connections_rate_limited."),
            Map.entry("trusted_proxies", "Comma-separated addresses or CIDR ranges of reverse proxies (e.g. 10.0.0.0/8, ::1). Only for a connection from one of these is the client address read from X-Forwarded-For (the right-most entry that is not itself a trusted proxy); empty: the header is ignored and the socket's peer address counts."),
            Map.entry("max_node_connections", "WebSocket connections this node holds at most, all apps together; one more is upgraded and closed with 4100 (over capacity: the clients back off and retry, ideally on another node). 0: no limit. Counted in switchboard_edge_over_capacity_closed."),
            Map.entry("http_head_timeout_seconds", "A connection's request head (before any WebSocket upgrade) must be complete this long after the connection opened, or after its first byte on a keep-alive connection; else the connection is closed (408 when something arrived, a plain close when nothing did). Counted in switchboard_edge_http_timeouts{kind=\"head\"}."),
            Map.entry("http_body_timeout_seconds", "A request body must be complete this long after its head; else 408 and the connection closes. Counted in switchboard_edge_http_timeouts{kind=\"body\"}."),
            Map.entry("http_body_min_bytes_per_second", "A request body must arrive at least this fast on average, measured from its head once 5 s have passed; slower gets 408 and the connection closes. 0: no minimum rate. Counted in switchboard_edge_http_timeouts{kind=\"body_rate\"}."),
            Map.entry("http_idle_timeout_seconds", "A keep-alive HTTP connection with no request under way is closed after this long. Counted in switchboard_edge_http_timeouts{kind=\"idle\"}."),
            Map.entry("max_http_connections", "Connections not yet upgraded to WebSocket (HTTP requests and keep-alive connections), all client addresses together; one more is closed as soon as it is accepted. Never more than half the process's open-file limit (lowered at start, and logged, when it is). 0: no limit. Counted in switchboard_edge_http_connections_refused{scope=\"node\"}."),
            Map.entry("max_http_connections_per_ip", "Connections not yet upgraded to WebSocket from one client address (the socket's peer; an IPv6 peer counts by its /64; trusted_proxies count only against max_http_connections); one more is closed as soon as it is accepted, so one address cannot fill max_http_connections. Never more than half of max_http_connections. 0: no limit. Counted in switchboard_edge_http_connections_refused{scope=\"ip\"}."),
            Map.entry("pending_changes_high_water_mark", "State changes (subscribe, unsubscribe, sign-in) one WebSocket may have waiting for the shared state (Redis) before the server stops reading it; reading resumes at half. Back-pressure to the client, as on one node where changes never wait. Counted in switchboard_edge_reads_paused."),
            Map.entry("max_pending_changes", "State changes one WebSocket may have waiting at most (what was already read when reading stopped); a frame past it is refused with pusher:error 4301 before it is decoded, and the socket stays open. At least pending_changes_high_water_mark."),
            Map.entry("max_subscription_changes_per_second", "Subscribe and unsubscribe frames one WebSocket may send per second (token bucket holding this plus the app's max_channels_per_connection, so a reconnect that resubscribes every channel at once always fits); past it the frame is refused with pusher:error 4301 (and pusher:subscription_error with send_subscription_errors). 0: no limit. Counted in switchboard_subscription_changes_refused."),
            Map.entry("max_ban_seconds", "Longest ban POST /apps/{id}/users/{uid}/terminate_connections may set with {\"ban_seconds\": N} (docs/users.md, Bans); a longer one is answered 400. A ban is one Redis key per banned user, expiring with the ban."),
            Map.entry("webhook_batch_millis", "Webhook events are batched for this long before one POST."),
            Map.entry("webhook_batch_max_events", "Most events in one webhook POST."),
            Map.entry("webhook_leave_delay_millis", "channel_vacated, member_removed and user_offline webhooks wait this long, and are dropped (with the matching occupied/added/online) if the channel, member or user comes back."),
            Map.entry("webhook_timeout_millis", "Timeout of one webhook POST."),
            Map.entry("webhook_queue_size", "Most webhook batches waiting per target; when full the oldest batch is dropped (and counted)."),
            Map.entry("webhook_retry_seconds", "How long a failing webhook batch is retried."),
            Map.entry("webhook_journal_dir", "One node without Redis: a directory where every webhook batch is journalled (written and fsynced before its first attempt) until delivered or given up, so that a node restarted after a crash or a shutdown sends what it still owed. Empty: batches live in memory only. Ignored with Redis, whose streams keep them (docs/webhooks.md)."),
            Map.entry("metrics_enabled", "Serve Prometheus metrics at GET /metrics (on metrics_port, and on port with metrics_token); false: nowhere."),
            Map.entry("metrics_port", "Port of the metrics listener, which answers GET /metrics only (soketi's and Sockudo's 9601). When the default 9601 is taken (a second node on the machine) the node warns and runs without it; any other port that cannot be bound stops the start. -1: no metrics listener; 0: a free port."),
            Map.entry("metrics_host", "Address the metrics listener binds, e.g. 127.0.0.1 or an internal interface; empty: host."),
            Map.entry("metrics_token", "Empty (the default): GET /metrics on port answers 404, so a visitor of the client port reads no app ids or traffic. Otherwise at least 16 characters, and /metrics on port serves Authorization: Bearer <token> (else 401)."),
            Map.entry("dashboard_enabled", "Serve the operator's dashboard and debug console at /dashboard; --no-dashboard turns it off."),
            Map.entry("dashboard_token", "Bearer token that opens the dashboard (at least 16 characters); empty: a random one is made at each start and logged with the dashboard's URL."),
            Map.entry("dashboard_console_events_per_second", "Most events per second one open debug console receives; the rest are counted and shown as skipped."),
            Map.entry("redis_url", "Redis that makes this node a cluster member: redis://[:password@]host:port[/db] or rediss:// for TLS; empty for a lone node (docs/cluster.md). The password is never logged."),
            Map.entry("redis_prefix", "Prefix of every Redis key and pub/sub channel, so several clusters can share one Redis; no braces."),
            Map.entry("cluster_heartbeat_millis", "How often a cluster node renews its lease in Redis and checks the other nodes'; a Redis command taking two heartbeats (at least 1 s) counts as Redis unreachable."),
            Map.entry("redis_presence_hold_millis", "On a Redis Cluster, how long a presence join or leave waits when its channel's shard does not answer (a failover takes about two cluster-node-timeouts): held, it is decided by Redis once the shard is back, so the joiner's roster is the cluster's and every node hears member_added / member_removed once. Past this it is decided by the node alone, as during any Redis outage (its roster holds this node's members only). 0: decide alone at once."),
            Map.entry("startup_warmup_clients", "Once the node listens, it starts a private copy of itself on a loopback port and runs this many clients through it (connect, pusher:signin, a presence join with signed channel_data, close), with /up answering 503 until done, so the JIT has compiled the connect path before a load balancer sends the first client (docs/performance.md, \"A cold node\"). 0: no warm-up. At most 100000."),
            Map.entry("listen_per_event_loop", "On epoll and io_uring, every event loop has its own listening socket on the client port (and tls_port), sharing it with SO_REUSEPORT: the kernel spreads new connections over the loops and each accepts its own, with no hand-over from an acceptor thread (about a tenth less CPU per connecting client in a reconnect storm, docs/performance.md). A port already taken still stops the start. Opt-in until a whole test-command run has passed with it on (docs/performance.md); false: one listening socket and one acceptor thread, as always on nio."),
            Map.entry("cluster_node_timeout_millis", "A cluster node whose lease was not renewed for this long is dead: another node removes its connections, members and users, with the usual events; at least twice the heartbeat."),
            Map.entry("apps_from", "Also read apps from this database: postgresql://user:password@host:5432/db or mysql:// (mariadb://) user:password@host:3306/db; the table is described under Apps from a database. Empty: apps come from the config only. The password is never logged."),
            Map.entry("apps_table", "The table apps_from reads: Switchboard's own, or soketi's apps table as it is (its column names are understood, docs/migrating-from-soketi.md). Letters, digits and underscores, optionally schema.table."),
            Map.entry("apps_migrate", "At start-up, create the apps table (on PostgreSQL also its NOTIFY trigger) when missing, and add to an existing one the columns of app settings it lacks."),
            Map.entry("apps_cache_ttl_seconds", "How long an app read from the database is used before it is read again: a disabled app or a rotated secret applies within this (PostgreSQL: at once, through NOTIFY)."),
            Map.entry("apps_db_pool_size", "Connections to the apps database, and threads that wait on it (the event loops never do)."),
            Map.entry("apps_db_queue_size", "Look-ups waiting for a database thread; beyond it a new connection for an app not cached is closed with 4100 (over capacity) and an API call answered 503."),
            Map.entry("apps_miss_ttl_seconds", "How long an app id or key the apps database did not know is answered as unknown (4001, HTTP 404) without asking the database again; 0 remembers none. On PostgreSQL a new app is found at once all the same (its NOTIFY forgets the miss); on MySQL/MariaDB an app created just after someone asked for it is found within this."),
            Map.entry("apps_miss_cache_size", "Unknown app ids and keys remembered at most; past it new ones are not remembered (max_apps_db_lookups_per_ip_per_second still bounds the queries)."),
            Map.entry("max_apps_db_lookups_per_ip_per_second", "Apps-database look-ups one client address may cause per second (a token bucket holding one second's worth; an IPv6 address counts as its /64; 0: no limit). Only look-ups of names not cached count: an app cached (even expired: re-reading it costs one query per app per TTL), a remembered miss or a look-up already under way costs nothing. Over it: a WebSocket is closed with 4100 (pusher-js retries after its back-off), an API call answered 429 with Retry-After."),
            Map.entry("apps_db_timeout_millis", "Longest wait for the apps database on one look-up (connect and query); an app not cached is refused as unknown after at most this when the database is down. At start-up the first read gets five tries of this long."),
            Map.entry("redis_cluster", "Redis Cluster that makes this node a cluster member: its seed URLs, redis://[:password@]host:port[,redis://...] (rediss:// for TLS; any reachable one reveals the rest). Pub/sub is sharded (SSUBSCRIBE/SPUBLISH on the shard of each channel's slot), a failover is followed without a restart; empty for none (docs/cluster.md)."),
            Map.entry("apps", "The apps (replaces the default app; with apps_from and no apps configured, there is no default app). Each entry takes the per-app keys below; id, key and secret are required."));

    private static final Map<String, String> APP_TEXT = Map.ofEntries(
            Map.entry("id", "App id, used in HTTP API paths (/apps/{id}/...) and in Redis keys. Ids and keys may hold letters of any script, digits and ASCII punctuation except { } : / \\ ? # and the percent sign (no whitespace or control characters, not . or .., at most 255 characters); another id stops the start, and a database row with one is refused (see Apps from a database)."),
            Map.entry("key", "App key, used by clients (ws://host:port/app/{key}) and in auth_key; the characters allowed are those of id. A non-ASCII key is read as UTF-8, percent-encoded (browsers) or raw (pusher-js in Node)."),
            Map.entry("secret", "App secret that signs API requests and channel auth. Never logged."),
            Map.entry("enabled", "A disabled app refuses connections with 4003 and API calls with 403."),
            Map.entry("enable_client_messages", "Relay client-* events on private and presence channels (never on private-encrypted- ones: a client cannot encrypt for them, so they are refused with a pusher:error)."),
            Map.entry("max_connections", "Most simultaneous connections for the app (over it: close 4004); -1 for no limit."),
            Map.entry("require_authorized_connections", "Close with 4009 sockets that neither sign in nor subscribe to a private channel within user_authentication_timeout_seconds."),
            Map.entry("user_authentication_timeout_seconds", "Time a socket has to sign in when require_authorized_connections is on."),
            Map.entry("enable_watchlist_events", "Send watchlist online/offline events to signed-in users."),
            Map.entry("max_watchlist_size", "Most user ids in one user's watchlist (more: 4302 error, first ones kept)."),
            Map.entry("enable_subscription_count", "Send pusher_internal:subscription_count to non-presence channels."),
            Map.entry("subscription_count_on_presence", "Also send subscription counts on presence channels."),
            Map.entry("send_subscription_errors", "Also send a channel-scoped pusher:subscription_error (what soketi clients expect)."),
            Map.entry("max_presence_members", "Most members in one presence channel."),
            Map.entry("max_presence_user_info_bytes", "Largest user_info of a presence member."),
            Map.entry("max_user_id_length", "Longest user id."),
            Map.entry("max_event_data_bytes", "Largest event data from the HTTP API (more: 413) or from a client event."),
            Map.entry("max_channels_per_trigger", "Most channels in one trigger call."),
            Map.entry("max_batch_events", "Most events in one batch_events call."),
            Map.entry("max_event_name_length", "Longest event name."),
            Map.entry("max_channel_name_length", "Longest channel name."),
            Map.entry("max_client_events_per_second", "Client events one connection may send per second (more: 4301 error)."),
            Map.entry("max_channels_per_connection", "Channels one connection may be subscribed to at once; a subscribe beyond it gets a pusher:error (and pusher:subscription_error when send_subscription_errors is on) and the connection stays open. -1 for no limit. Counted in switchboard_channel_limit_refusals."),
            Map.entry("max_api_requests_per_second", "Signed HTTP API requests per second for the app (token bucket, bursts up to the same number); over it: 429 with a JSON error and Retry-After. Requests that fail verification do not use the app's budget. -1 for no limit. Counted in switchboard_api_rate_limited."),
            Map.entry("cache_ttl_seconds", "How long a cache channel keeps its last event."),
            Map.entry("max_connections_per_user", "Signed-in connections one user may have at once, counted over the cluster; a sign-in past it is refused with a pusher:error and the connection stays open, not signed in (docs/limits.md). -1: no limit."),
            Map.entry("user_inbox_ttl_seconds", "How long an event sent to a user with no signed-in connection anywhere waits for the user's next sign-in (docs/users.md); 0 keeps nothing, as Pusher does."),
            Map.entry("user_inbox_max_events", "Most events kept for one offline user; past it the oldest is dropped (and counted in /metrics)."),
            Map.entry("channel_resume_seconds", "Channel resume (docs/users.md): how long the server keeps a signed-in user's place in a windowed channel after the user's last connection to it is lost without unsubscribing, and how old a kept event may get. A connection of that user subscribing again (or signing in while subscribed) within it gets the missed events, then live ones. 0: off. At most 3600."),
            Map.entry("channel_resume_max_events", "Most recent events one windowed channel keeps for resumes; a gap larger than what is kept gets one switchboard:resume_incomplete event. 1 to 10000."),
            Map.entry("channel_resume_prefixes", "Which channels keep a window, by name prefix (private-orders-, presence-room-); empty: none, even with channel_resume_seconds set. JSON array, or comma-separated in env and flags."),
            Map.entry("allowed_origins", "Browser origins that may open a WebSocket: exact origins (https://app.example.com), https://*.example.com, a bare host or *.host (any scheme and port). Another Origin is closed with 4009 before the app sees the socket; an upgrade without Origin (not a browser) is allowed. Empty: any origin. JSON array, or comma-separated in env and flags."),
            Map.entry("webhooks", "Webhook targets: objects with url, event_types (empty: all), channel_prefix and headers."));
}
