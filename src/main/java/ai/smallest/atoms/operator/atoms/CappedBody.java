package ai.smallest.atoms.operator.atoms;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to a cap. Past the cap reading stops (the subscription is
 * cancelled, which closes the connection) and the body is marked {@link #truncated()}: a hostile or
 * broken server cannot make the operator buffer more than {@code cap} bytes per answer. A declared
 * {@code Content-Length} over the cap stops reading before the first byte.
 */
record CappedBody(byte[] bytes, boolean truncated) {

  static HttpResponse.BodyHandler<CappedBody> handler(int cap) {
    return info -> {
      long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
      return new Subscriber(declared > cap ? 0 : cap, declared > cap);
    };
  }

  private static final class Subscriber implements BodySubscriber<CappedBody> {
    private final int cap;
    private final boolean refuse;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<CappedBody> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    Subscriber(int cap, boolean refuse) {
      this.cap = cap;
      this.refuse = refuse;
    }

    @Override
    public CompletionStage<CappedBody> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (refuse) {
        subscription.cancel();
        result.complete(new CappedBody(new byte[0], true));
      } else {
        subscription.request(1);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int room = cap - out.size();
        if (buffer.remaining() > room) {
          subscription.cancel();
          result.complete(new CappedBody(out.toByteArray(), true));
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(new CappedBody(out.toByteArray(), false));
    }
  }
}
