package ai.smallest.atoms.operator.atoms;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link AtomsClient} over the JDK's {@link HttpClient}.
 *
 * <p>Why not the Quarkus REST client, which the project used before: the operator must treat the
 * Atoms API (or whatever answers in its place) as untrusted, and three guarantees need control the
 * generated client does not give: a <b>cap on the body</b> (reading stops at {@link
 * #MAX_BODY_BYTES} instead of buffering whatever arrives), a <b>whole-request deadline</b> (a
 * server that trickles one byte per second defeats any idle read timeout; here the exchange is
 * cancelled, and its connection closed, when {@code atoms.request-deadline} has passed), and
 * <b>exact paths</b> (IDs are percent-encoded by {@link PathSegments}, not by a template engine
 * with its own idea of which characters are safe). The JDK client is well kept, has no dependencies
 * and does all three in a few lines.
 *
 * <p>Other choices: HTTP/1.1 (cancelling an exchange then closes its connection, and no h2c upgrade
 * is attempted on plain HTTP); redirects are never followed (the Bearer key must not go elsewhere;
 * a 3xx is {@link ResponseProblem#UNEXPECTED_STATUS}); every answer is checked by {@link Answers}
 * before it is returned; every error text is scrubbed of the API key before it is cut.
 */
public class AtomsHttpClient implements AtomsClient {

  /** The most the client reads of one answer: a page of 100 versions is about 150 KiB. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private static final byte[] EMPTY_JSON_OBJECT = "{}".getBytes();

  /**
   * Where each request's blocking {@code send} runs while the reconcile thread waits for it with
   * the whole-request deadline. Not {@code HttpClient.sendAsync}: it completes every answer on
   * CompletableFuture's default executor, which on 2 CPUs or fewer (common-pool parallelism 1, a
   * usual operator pod) starts a new thread for every task; JFR counted 51 thread starts a second
   * at 5,000 releases. These threads are reused and end after 60 s idle; there are never more than
   * the reconciles waiting on a request plus the cancelled sends still unwinding.
   */
  private static final ExecutorService SENDS =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "atoms-http-send");
            thread.setDaemon(true);
            return thread;
          });

  private final String baseUrl;
  private final HttpClient http;
  private final Duration readTimeout;
  private final Duration deadline;
  private final Duration maxRetryAfter;
  private final Clock clock;

  /**
   * @param baseUrl e.g. {@code https://api.smallest.ai/atoms/v1}
   * @param readTimeout how long to wait for the response headers
   * @param deadline how long one whole exchange may take, connect to last body byte
   * @param maxRetryAfter the longest Retry-After honoured ({@code atoms.backoff.max})
   */
  public AtomsHttpClient(
      URI baseUrl,
      Duration connectTimeout,
      Duration readTimeout,
      Duration deadline,
      Duration maxRetryAfter,
      Clock clock) {
    this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(connectTimeout)
            .build();
    this.readTimeout = readTimeout;
    this.deadline = deadline;
    this.maxRetryAfter = maxRetryAfter;
    this.clock = clock;
  }

  @Override
  public VersionPage listPublishedVersions(ApiKey apiKey, String agentId, PageRequest request) {
    String path =
        "/agent/"
            + PathSegments.encode("agentId", agentId)
            + "/versions?limit="
            + request.limit()
            + "&skip="
            + request.skip()
            + (request.pinned() == null ? "" : "&isPinned=" + request.pinned());
    HttpResponse<CappedBody> response = exchange(apiKey, "GET", path, false);
    Answers answers = new Answers(apiKey::redact);
    return answers.page(succeeded(response, apiKey, false), body(response), agentId, request);
  }

  @Override
  public AgentVersion activateVersion(ApiKey apiKey, String agentId, String versionId) {
    String path =
        "/agent/"
            + PathSegments.encode("agentId", agentId)
            + "/versions/"
            + PathSegments.encode("versionId", versionId)
            + "/activate";
    HttpResponse<CappedBody> response = exchange(apiKey, "PATCH", path, true);
    Answers answers = new Answers(apiKey::redact);
    return answers.activated(succeeded(response, apiKey, true), body(response), agentId, versionId);
  }

  private HttpResponse<CappedBody> exchange(
      ApiKey apiKey, String method, String path, boolean jsonBody) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(min(readTimeout, deadline))
            .header("Authorization", apiKey.bearerHeader())
            .header("Accept", "application/json");
    if (jsonBody) {
      builder
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(EMPTY_JSON_OBJECT));
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpRequest request = builder.build();
    Future<HttpResponse<CappedBody>> future =
        SENDS.submit(() -> http.send(request, CappedBody.handler(MAX_BODY_BYTES)));
    try {
      return future.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException trickling) {
      future.cancel(true);
      throw AtomsApiException.timeout(
          "no complete answer within the request deadline of " + seconds(deadline), null);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw AtomsApiException.network("interrupted while waiting for the answer", e);
    } catch (ExecutionException | CancellationException e) {
      throw noAnswer(e.getCause() == null ? e : unwrapped(e.getCause()));
    }
  }

  /** The status of a 2xx answer; throws the classified error for anything else. */
  private int succeeded(HttpResponse<CappedBody> response, ApiKey apiKey, boolean activate) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      if (response.body().truncated()) {
        throw AtomsApiException.malformed(
            ResponseProblem.TOO_LARGE,
            status,
            "the answer is larger than " + MAX_BODY_BYTES + " bytes; reading stopped there");
      }
      return status;
    }
    if (status < 400 || status > 599) {
      throw AtomsApiException.malformed(
          ResponseProblem.UNEXPECTED_STATUS,
          status,
          "HTTP "
              + status
              + " is not an answer of the API"
              + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
    }
    List<String> errors =
        response.body().truncated()
            ? List.of("(error body larger than " + MAX_BODY_BYTES + " bytes, not read)")
            : new Answers(apiKey::redact).errors(response.body().bytes());
    Duration retryAfter =
        RetryAfter.parse(
                response.headers().firstValue("Retry-After").orElse(null),
                clock.instant(),
                maxRetryAfter)
            .orElse(null);
    ErrorKind kind = ErrorKind.fromHttpStatus(status, errors);
    if (kind == ErrorKind.VERSION_NOT_PUBLISHED && !activate) {
      // Only activate can refuse a version for not being published.
      kind = ErrorKind.BAD_REQUEST;
    }
    throw AtomsApiException.http(kind, status, errors, retryAfter);
  }

  private static byte[] body(HttpResponse<CappedBody> response) {
    return response.body().bytes();
  }

  private AtomsApiException noAnswer(Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      return AtomsApiException.timeout("could not connect within the connect timeout", cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return AtomsApiException.timeout(
          "no answer within the read timeout of " + seconds(min(readTimeout, deadline)), cause);
    }
    // Refused and reset connections, TLS failures. The message names the failure type and its
    // text, which can include host and port, never headers.
    String message = cause.getMessage();
    String detail = message == null || message.isBlank() ? "" : ": " + message;
    return AtomsApiException.network(cause.getClass().getSimpleName() + detail, cause);
  }

  /**
   * {@code HttpClient.send} wraps a failure of no more specific type in a plain IOException; the
   * message names the failure's own type, as it did before.
   */
  private static Throwable unwrapped(Throwable failure) {
    return failure.getClass() == IOException.class && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
