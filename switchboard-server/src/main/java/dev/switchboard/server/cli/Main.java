package dev.switchboard.server.cli;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.ServerConfig;
import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code switchboard [flags]}: loads the configuration, starts the node, and closes it gracefully on SIGTERM
 * or Ctrl-C (JVM shutdown hook). Exit codes: 0 after help or a clean stop, 1 when the server cannot start
 * (port taken), 2 for a configuration error.
 */
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_START_FAILED = 1;
    public static final int EXIT_CONFIG = 2;

    private Main() {}

    public static void main(String[] args) {
        Prepared p = prepare(args, System.getenv(), System.out, System.err);
        if (p.config() == null) {
            System.exit(p.exitCode());
            return;
        }
        boolean warm = p.config().startupWarmupClients() > 0;
        Switchboard node;
        try {
            node = Switchboard.builder(p.config()).warming(warm).start();
        } catch (IllegalStateException e) {
            System.err.println("switchboard: " + e.getMessage());
            System.exit(EXIT_START_FAILED);
            return;
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Main.class).error("Switchboard failed to start", e);
            System.exit(EXIT_START_FAILED);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "switchboard-shutdown"));
        if (warm) {
            // After the node's own start, so that the classes it loads no longer undo what the warm-up compiled.
            try {
                Warmup.run(p.config());
            } catch (RuntimeException e) {
                // A warm-up that fails leaves the node as cold as without one; it must not keep it from serving.
                org.slf4j.LoggerFactory.getLogger(Main.class).warn("Start-up warm-up failed: {}", e.toString());
            }
            node.warmed();
        }
        if (p.config().tls()) {
            onHangup(node);
        }
        try {
            node.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGHUP reloads the TLS certificate, as nginx and haproxy do, instead of the JVM's default (shutdown).
     * Through {@code sun.misc.Signal}, the JDK's only way to catch a signal; where it is missing, the file watch
     * (tls_watch_seconds) still reloads.
     */
    @SuppressWarnings("removal")
    private static void onHangup(Switchboard node) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
                Thread t = new Thread(node::reloadTls, "switchboard-tls-reload");
                t.setDaemon(true);
                t.start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            org.slf4j.LoggerFactory.getLogger(Main.class).warn("SIGHUP cannot be caught here ({}); "
                    + "certificates reload on file change only", e.toString());
        }
    }

    /** What the command line asks for: a config to start with, or an exit code after printing help or an error. */
    public record Prepared(ServerConfig config, int exitCode) {}

    public static Prepared prepare(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(ConfigLoader.commandSpec());
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("switchboard: " + e.getMessage());
            err.println("Try 'switchboard --help' for the list of settings.");
            return new Prepared(null, EXIT_CONFIG);
        }
        if (cli.isUsageHelpRequested()) {
            cli.usage(out);
            return new Prepared(null, EXIT_OK);
        }
        if (cli.isVersionHelpRequested()) {
            cli.printVersionHelp(out);
            return new Prepared(null, EXIT_OK);
        }
        if (parsed.hasMatchedOption(ConfigLoader.OPT_PRINT_DOCS)) {
            out.print(ConfigDocs.markdown());
            return new Prepared(null, EXIT_OK);
        }
        try {
            ServerConfig config = ConfigLoader.load(parsed, env, w -> err.println("switchboard: warning: " + w));
            return new Prepared(config, EXIT_OK);
        } catch (ConfigLoader.ConfigException e) {
            err.println("switchboard: " + e.getMessage());
            return new Prepared(null, EXIT_CONFIG);
        }
    }
}
