package dev.switchboard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Scenario 2, users: {@code --connections} signed-in users, one connection each (user {@code u<i>},
 * subscribed to {@code #server-to-user-u<i>} as pusher-js does); events sent to random users through
 * a trigger on {@code #server-to-user-<id>} (sendToUser) at each of {@code --rates}.
 */
final class UsersScenario {
    private UsersScenario() {}

    static ClientSpec spec(int index) {
        return ClientSpec.user("u" + index);
    }

    static ObjectNode run(Options o) throws Exception {
        int n = o.integer("connections", 1000);
        ObjectNode result = Report.header(o);
        List<Map<String, String>> rows = new ArrayList<>();
        try (Fleet fleet = MultiFleet.create(o, n, UsersScenario::spec);
             HttpPublisher publisher = new HttpPublisher(o, o.integer("publishers", 8))) {
            ConnectResult c = Scenarios.connect(fleet, n, result);
            result.put("users", c.ready);
            if (c.failed > 0) {
                System.err.println("warning: some users did not sign in; events sent to them count as lost");
            }
            SplittableRandom random = new SplittableRandom(42);
            result.set("steps", PublishSteps.run(o, fleet, publisher, 1,
                    seq -> "#server-to-user-u" + random.nextInt(n), rows));
        }
        Report.write(o, result, "Users: " + n + " signed-in users, sendToUser to random users", rows,
                "each event goes to one user's single connection; deliveries = accepted events");
        return result;
    }
}
