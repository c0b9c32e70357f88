package dev.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** A trigger's answer: the status (200) and, when {@code info} was asked for, the attributes per channel. */
public record TriggerResult(int status, Map<String, ChannelInfo> channels) {

    public TriggerResult {
        channels = Map.copyOf(channels);
    }

    static TriggerResult from(Transport.Answer answer) {
        return new TriggerResult(answer.status(), channelMap(answer.json().get("channels")));
    }

    static Map<String, ChannelInfo> channelMap(JsonNode node) {
        Map<String, ChannelInfo> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                out.put(f.getKey(), ChannelInfo.from(f.getValue()));
            }
        }
        return out;
    }
}
