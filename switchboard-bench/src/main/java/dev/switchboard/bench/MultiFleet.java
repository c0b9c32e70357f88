package dev.switchboard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Several fleets driven as one: the child processes of {@code --processes K}. */
final class MultiFleet implements Fleet {
    private final List<Fleet> parts;

    private MultiFleet(List<Fleet> parts) {
        this.parts = parts;
    }

    /**
     * {@code connections} clients, in this process when {@code --processes} is 1, otherwise split evenly
     * over that many child processes (the specs come from the scenario, by global client index).
     */
    static Fleet create(Options o, int connections, IntFunction<ClientSpec> specs) throws Exception {
        int k = Math.max(1, o.integer("processes", 1));
        if (k == 1) {
            return new ClientFleet(o, connections, specs);
        }
        List<Fleet> parts = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < k; i++) {
            int n = connections / k + (i < connections % k ? 1 : 0);
            parts.add(new ChildFleet(o, i, k, offset, n));
            offset += n;
        }
        return new MultiFleet(parts);
    }

    @Override
    public ConnectResult connect() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parts.size());
        try {
            List<Future<ConnectResult>> results = new ArrayList<>();
            for (Fleet f : parts) {
                results.add(pool.submit(f::connect));
            }
            ConnectResult total = new ConnectResult();
            for (Future<ConnectResult> r : results) {
                total.add(r.get());
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }

    @Override
    public void beginStep(int step) throws Exception {
        for (Fleet f : parts) {
            f.beginStep(step);
        }
    }

    @Override
    public long delivered() throws Exception {
        long sum = 0;
        for (Fleet f : parts) {
            sum += f.delivered();
        }
        return sum;
    }

    @Override
    public StepStats endStep() throws Exception {
        StepStats total = new StepStats();
        for (Fleet f : parts) {
            total.add(f.endStep());
        }
        return total;
    }

    @Override
    public void close() {
        for (Fleet f : parts) {
            f.close();
        }
    }
}
