package dev.switchboard.server.engine;

import dev.switchboard.server.config.AppConfig;

/** Forwards every engine event to several listeners, in order. */
final class CompositeListener implements EngineListener {
    private final EngineListener[] listeners;

    CompositeListener(EngineListener... listeners) {
        this.listeners = listeners.clone();
    }

    @Override
    public void connectionOpened(AppConfig app) {
        for (EngineListener l : listeners) {
            l.connectionOpened(app);
        }
    }

    @Override
    public void connectionClosed(AppConfig app) {
        for (EngineListener l : listeners) {
            l.connectionClosed(app);
        }
    }

    @Override
    public void channelOccupied(AppConfig app, String channel) {
        for (EngineListener l : listeners) {
            l.channelOccupied(app, channel);
        }
    }

    @Override
    public void channelOccupied(AppConfig app, String channel, boolean cancelsHeld) {
        for (EngineListener l : listeners) {
            l.channelOccupied(app, channel, cancelsHeld);
        }
    }

    @Override
    public void channelVacated(AppConfig app, String channel) {
        for (EngineListener l : listeners) {
            l.channelVacated(app, channel);
        }
    }

    @Override
    public void channelVacated(AppConfig app, String channel, boolean held) {
        for (EngineListener l : listeners) {
            l.channelVacated(app, channel, held);
        }
    }

    @Override
    public void subscribed(AppConfig app, String channel) {
        for (EngineListener l : listeners) {
            l.subscribed(app, channel);
        }
    }

    @Override
    public void unsubscribed(AppConfig app, String channel) {
        for (EngineListener l : listeners) {
            l.unsubscribed(app, channel);
        }
    }

    @Override
    public void memberAdded(AppConfig app, String channel, String userId) {
        for (EngineListener l : listeners) {
            l.memberAdded(app, channel, userId);
        }
    }

    @Override
    public void memberAdded(AppConfig app, String channel, String userId, boolean cancelsHeld) {
        for (EngineListener l : listeners) {
            l.memberAdded(app, channel, userId, cancelsHeld);
        }
    }

    @Override
    public void memberRemoved(AppConfig app, String channel, String userId) {
        for (EngineListener l : listeners) {
            l.memberRemoved(app, channel, userId);
        }
    }

    @Override
    public void memberRemoved(AppConfig app, String channel, String userId, boolean held) {
        for (EngineListener l : listeners) {
            l.memberRemoved(app, channel, userId, held);
        }
    }

    @Override
    public void clientEvent(AppConfig app, String channel, String event, String dataJson, String socketId, String userId) {
        for (EngineListener l : listeners) {
            l.clientEvent(app, channel, event, dataJson, socketId, userId);
        }
    }

    @Override
    public void cacheMiss(AppConfig app, String channel) {
        for (EngineListener l : listeners) {
            l.cacheMiss(app, channel);
        }
    }

    @Override
    public void subscriptionCount(AppConfig app, String channel, int count) {
        for (EngineListener l : listeners) {
            l.subscriptionCount(app, channel, count);
        }
    }

    @Override
    public void signedIn(AppConfig app, String userId) {
        for (EngineListener l : listeners) {
            l.signedIn(app, userId);
        }
    }

    @Override
    public void userOnline(AppConfig app, String userId) {
        for (EngineListener l : listeners) {
            l.userOnline(app, userId);
        }
    }

    @Override
    public void userOnline(AppConfig app, String userId, boolean cancelsHeld) {
        for (EngineListener l : listeners) {
            l.userOnline(app, userId, cancelsHeld);
        }
    }

    @Override
    public void userOffline(AppConfig app, String userId) {
        for (EngineListener l : listeners) {
            l.userOffline(app, userId);
        }
    }

    @Override
    public void userOffline(AppConfig app, String userId, boolean held) {
        for (EngineListener l : listeners) {
            l.userOffline(app, userId, held);
        }
    }

    @Override
    public void userConnectionLimitReached(AppConfig app) {
        for (EngineListener l : listeners) {
            l.userConnectionLimitReached(app);
        }
    }

    @Override
    public void inboxKept(AppConfig app, int dropped) {
        for (EngineListener l : listeners) {
            l.inboxKept(app, dropped);
        }
    }

    @Override
    public void inboxDrained(AppConfig app, int delivered, int expired) {
        for (EngineListener l : listeners) {
            l.inboxDrained(app, delivered, expired);
        }
    }

    @Override
    public void userTerminated(AppConfig app, String userId) {
        for (EngineListener l : listeners) {
            l.userTerminated(app, userId);
        }
    }

    @Override
    public void messageIn(AppConfig app, int bytes) {
        for (EngineListener l : listeners) {
            l.messageIn(app, bytes);
        }
    }

    @Override
    public void delivered(AppConfig app, int recipients, int bytes) {
        for (EngineListener l : listeners) {
            l.delivered(app, recipients, bytes);
        }
    }

    @Override
    public void eventPublished(AppConfig app, String channel, String event, int bytes, Origin origin) {
        for (EngineListener l : listeners) {
            l.eventPublished(app, channel, event, bytes, origin);
        }
    }

    @Override
    public void slowConsumerClosed(AppConfig app) {
        for (EngineListener l : listeners) {
            l.slowConsumerClosed(app);
        }
    }

    @Override
    public void channelLimitReached(AppConfig app) {
        for (EngineListener l : listeners) {
            l.channelLimitReached(app);
        }
    }

    @Override
    public void subscriptionChangeRefused(AppConfig app) {
        for (EngineListener l : listeners) {
            l.subscriptionChangeRefused(app);
        }
    }
}
