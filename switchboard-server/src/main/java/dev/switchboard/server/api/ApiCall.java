package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.protocol.WireCodec;
import dev.switchboard.server.engine.AppEngine;

/**
 * One verified request, as a handler sees it: the app, the decoded path parameter ({@code {channel_name}} or
 * {@code {user_id}}; null for routes without one), the decoded query and the raw body.
 */
record ApiCall(AppEngine app, String pathParam, RequestTarget target, byte[] body) {

    String param(String key) {
        return target.param(key);
    }

    /** The body as a JSON object; a 400 when it is missing, not JSON, or not an object. */
    JsonNode jsonObject() {
        if (body == null || body.length == 0) {
            throw ApiProblem.badRequest("Request body must be a JSON object");
        }
        JsonNode node = WireCodec.parse(body);
        if (node == null) {
            throw ApiProblem.badRequest("Request body is not valid JSON");
        }
        if (!node.isObject()) {
            throw ApiProblem.badRequest("Request body must be a JSON object");
        }
        return node;
    }
}
