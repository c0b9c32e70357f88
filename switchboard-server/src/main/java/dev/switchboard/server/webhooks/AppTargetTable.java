package dev.switchboard.server.webhooks;

import dev.switchboard.server.config.AppConfig;
import dev.switchboard.server.config.WebhookConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Each app's webhook targets, made on the app's first event and replaced when its webhook config changes (the old
 * targets sealed, so that their lanes finish what they hold while new events go to the new ones). Webhook thread only.
 */
final class AppTargetTable {
    private record AppTargets(AppConfig app, List<WebhookTarget> targets) {}

    private final Map<String, AppTargets> apps = new HashMap<>();
    private final Delivery delivery;

    AppTargetTable(Delivery delivery) {
        this.delivery = delivery;
    }

    List<WebhookTarget> of(AppConfig app) {
        AppTargets current = apps.get(app.id());
        if (current != null && current.app() != app && !sameTargets(current.app(), app)) {
            for (WebhookTarget t : current.targets()) {
                t.seal(); // its lane, per (app, URL), finishes what it holds
            }
            current = null;
        }
        if (current == null) {
            List<WebhookTarget> targets = new ArrayList<>();
            for (WebhookConfig hook : app.webhooks()) {
                targets.add(new WebhookTarget(delivery, app, hook));
            }
            current = new AppTargets(app, List.copyOf(targets));
            apps.put(app.id(), current);
        }
        return current.targets();
    }

    List<WebhookTarget> all() {
        List<WebhookTarget> all = new ArrayList<>();
        for (AppTargets a : apps.values()) {
            all.addAll(a.targets());
        }
        return all;
    }

    private static boolean sameTargets(AppConfig a, AppConfig b) {
        return Objects.equals(a.key(), b.key()) && Objects.equals(a.secret(), b.secret())
                && a.webhooks().equals(b.webhooks());
    }
}
