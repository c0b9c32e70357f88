package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.protocol.WireCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Entry point: {@code bench <scenario> [options]} (see {@link Options#HELP}), plus two offline
 * commands over result files: {@code bench chart OUT.svg A.json B.json…} and
 * {@code bench compare A.json B.json} (ratios of A to B).
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            System.out.println(Options.HELP);
            System.out.println("       bench chart OUT.svg RESULT.json…   fan-out chart of several runs");
            System.out.println("       bench compare A.json B.json         ratios A/B of the headline figures");
            return;
        }
        if (args[0].equals("chart")) {
            List<JsonNode> results = new ArrayList<>();
            for (String f : Arrays.copyOfRange(args, 2, args.length)) {
                results.add(WireCodec.parse(Files.readString(Path.of(f))));
            }
            SvgChart.fanout(results, Path.of(args[1]));
            return;
        }
        if (args[0].equals("compare")) {
            System.out.print(Compare.text(WireCodec.parse(Files.readString(Path.of(args[1]))),
                    WireCodec.parse(Files.readString(Path.of(args[2])))));
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (o.has("child-index")) {
            int offset = o.integer("child-offset", 0);
            IntFunction<ClientSpec> specs = specs(o);
            ChildFleet.serve(new ClientFleet(o, o.integer("connections", 0), i -> specs.apply(offset + i)));
            System.exit(0);
        }
        run(o);
        System.exit(0);
    }

    /** Runs one scenario and returns its result (also written to --out and BENCHMARKS.md). */
    public static ObjectNode run(String... args) throws Exception {
        return run(Options.parse(args));
    }

    static ObjectNode run(Options o) throws Exception {
        switch (o.scenario) {
            case "fanout":
                return FanoutScenario.run(o);
            case "users":
                return UsersScenario.run(o);
            case "http":
                return HttpScenario.run(o);
            case "idle":
                return IdleScenario.run(o);
            case "presence":
                return PresenceScenario.run(o);
            case "storm":
                return StormScenario.run(o);
            case "rooms":
                return RoomsScenario.run(o);
            default:
                throw new IllegalArgumentException("unknown scenario " + o.scenario + "\n" + Options.HELP);
        }
    }

    /** The clients of a scenario by global index, so that a child process builds its share alike. */
    static IntFunction<ClientSpec> specs(Options o) {
        switch (o.scenario) {
            case "fanout":
                return FanoutScenario::spec;
            case "users":
                return UsersScenario::spec;
            case "idle":
                return IdleScenario.specs(o);
            case "rooms":
                return RoomsScenario.specs(o);
            default:
                throw new IllegalArgumentException("--processes is not supported by scenario " + o.scenario);
        }
    }
}
