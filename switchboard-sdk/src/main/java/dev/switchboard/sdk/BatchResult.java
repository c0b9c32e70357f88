package dev.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch trigger's answer: the status and, when any item asked for {@code info}, the attributes of each
 * item's channel in item order (an item that asked for nothing has an empty {@link ChannelInfo}).
 */
public record BatchResult(int status, List<ChannelInfo> batch) {

    public BatchResult {
        batch = List.copyOf(batch);
    }

    static BatchResult from(Transport.Answer answer) {
        List<ChannelInfo> items = new ArrayList<>();
        JsonNode batch = answer.json().get("batch");
        if (batch != null && batch.isArray()) {
            for (JsonNode item : batch) {
                items.add(ChannelInfo.from(item));
            }
        }
        return new BatchResult(answer.status(), items);
    }
}
