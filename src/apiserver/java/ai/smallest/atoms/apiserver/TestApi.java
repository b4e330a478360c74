package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Raw HTTP against an {@link EmbeddedApiServer}, so tests see exactly what a client would. */
final class TestApi implements AutoCloseable {

  record Response(int status, JsonNode body, String text, HttpHeaders headers) {}

  static final String WIDGETS = "/apis/example.com/v1/namespaces/default/widgets";

  final EmbeddedApiServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  TestApi() {
    this(EmbeddedApiServer.options());
  }

  TestApi(EmbeddedApiServer.Options options) {
    server = options.start();
  }

  /** A Fabric8 client on the server that identifies itself as {@code userAgent}. */
  KubernetesClient client(String userAgent) {
    return client(server, userAgent);
  }

  static KubernetesClient client(EmbeddedApiServer server, String userAgent) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(Config.empty())
                .withMasterUrl(server.url())
                .withNamespace("default")
                .withUserAgent(userAgent)
                // Reconnect quickly: the tests end watches on purpose.
                .withWatchReconnectInterval(100)
                .build())
        .build();
  }

  /** Installs the test CRD (widgets.example.com) and returns this. */
  TestApi withWidgets() {
    Response created =
        post(
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
            resourceYaml("apiserver/widgets-crd.yaml"));
    if (created.status() != 201) {
      throw new IllegalStateException("CRD not installed: " + created.text());
    }
    return this;
  }

  static ObjectNode widget(String name, int size) {
    ObjectNode widget = Json.object().put("apiVersion", "example.com/v1").put("kind", "Widget");
    widget.putObject("metadata").put("name", name);
    widget.putObject("spec").put("size", size);
    return widget;
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Response get(String path, String accept) {
    return send(HttpRequest.newBuilder(uri(path)).header("Accept", accept).GET());
  }

  Response post(String path, JsonNode body) {
    return send(json(path).POST(HttpRequest.BodyPublishers.ofString(Json.write(body))));
  }

  Response put(String path, JsonNode body) {
    return send(json(path).PUT(HttpRequest.BodyPublishers.ofString(Json.write(body))));
  }

  Response patch(String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
  }

  Response delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      JsonNode body = null;
      try {
        body = response.body().isEmpty() ? null : Json.MAPPER.readTree(response.body());
      } catch (IOException e) {
        // Not JSON (protobuf OpenAPI, plain text health): the text is still there.
      }
      return new Response(response.statusCode(), body, response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Opens a chunked watch; the caller reads events line by line and closes it. */
  InputStream watch(String pathAndQuery) {
    try {
      // The timeout bounds the wait for headers only: a watch must answer before its first event.
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(uri(pathAndQuery))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("watch answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpRequest.Builder json(String path) {
    return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json");
  }

  URI uri(String path) {
    return URI.create(server.url() + path);
  }

  static JsonNode resourceYaml(String resource) {
    try (InputStream in = TestApi.class.getClassLoader().getResourceAsStream(resource)) {
      return Json.YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
