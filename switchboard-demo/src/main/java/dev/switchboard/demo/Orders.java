package dev.switchboard.demo;

import dev.switchboard.sdk.SwitchboardClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Food orders. Every change of an order is sent with {@code sendToUser} to its customer, so it reaches all of
 * that person's tabs and devices and no one else; the kitchen's list follows on the private kitchen channel.
 */
final class Orders {
    static final String KITCHEN_CHANNEL = "private-kitchen";
    static final List<String> STATUSES = List.of("placed", "preparing", "on the way", "delivered");

    record Order(int id, String customer, String customerName, String item, int step) {
        String status() {
            return STATUSES.get(step);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("customer", customer);
            m.put("customer_name", customerName);
            m.put("item", item);
            m.put("status", status());
            m.put("done", step == STATUSES.size() - 1);
            return m;
        }
    }

    private final SwitchboardClient switchboard;
    private final Map<Integer, Order> orders = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    Orders(SwitchboardClient switchboard) {
        this.switchboard = switchboard;
    }

    Order place(Session customer, String item) {
        Order o = new Order(ids.incrementAndGet(), customer.userId(), customer.name(), item, 0);
        orders.put(o.id(), o);
        announce(o);
        return o;
    }

    /** The next status, or null when the order is unknown; a delivered order stays delivered. */
    Order advance(int id) {
        Order next = orders.computeIfPresent(id, (k, o) ->
                new Order(o.id(), o.customer(), o.customerName(), o.item(), Math.min(o.step() + 1, STATUSES.size() - 1)));
        if (next != null) {
            announce(next);
        }
        return next;
    }

    List<Map<String, Object>> all() {
        return orders.values().stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).map(Order::json).toList();
    }

    List<Map<String, Object>> of(String customer) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> o : all()) {
            if (customer.equals(o.get("customer"))) {
                out.add(o);
            }
        }
        return out;
    }

    private void announce(Order o) {
        switchboard.sendToUser(o.customer(), "order-status", o.json());
        switchboard.trigger(KITCHEN_CHANNEL, "order-updated", o.json());
    }
}
