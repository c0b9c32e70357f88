package dev.switchboard.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sends signed requests to {@code <base>/apps/<app_id><path>} with the JDK HTTP client and hands back
 * status and body. Failures without an answer (connect, timeout) become a {@link SwitchboardException} with
 * status 0; what a status means is the caller's business.
 */
final class Transport {
    static final String LIBRARY = "switchboard-sdk-java";

    private final Settings settings;
    private final HttpClient http;
    private final RequestSigner signer;

    Transport(Settings settings) {
        this.settings = settings;
        this.http = settings.httpClient() != null ? settings.httpClient() : newClient(settings);
        this.signer = new RequestSigner(settings.key(), settings.secret(), settings.clock());
    }

    private static HttpClient newClient(Settings settings) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout());
        if (settings.executor() != null) {
            builder.executor(settings.executor());
        }
        return builder.build();
    }

    /** One answer: the status and the body text. */
    record Answer(int status, String body) {
        JsonNode json() {
            return Json.parse(body);
        }

        /** This answer when it is a 200, else the error it stands for. */
        Answer ok() {
            if (status != 200) {
                throw new SwitchboardException(status, errorText(body));
            }
            return this;
        }

        private static String errorText(String body) {
            String text = body == null ? "" : body.trim();
            if (text.startsWith("{")) {
                try {
                    JsonNode error = Json.parse(text).get("error");
                    if (error != null && error.isTextual()) {
                        return error.textValue();
                    }
                } catch (RuntimeException notJson) {
                    // fall back to the raw text
                }
            }
            return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
        }
    }

    CompletableFuture<Answer> send(String method, String path, Map<String, String> params, String body) {
        String fullPath = settings.basePath() + "/apps/" + Urls.pathSegment(settings.appId()) + path;
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        String query = signer.signedQuery(method, fullPath, params, bytes);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.origin() + fullPath + "?" + query))
                .timeout(settings.requestTimeout())
                .header("X-Pusher-Library", LIBRARY);
        if (bytes == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        throw new SwitchboardException(method + " " + path + " failed: " + cause, cause);
                    }
                    return new Answer(response.statusCode(), response.body());
                });
    }
}
