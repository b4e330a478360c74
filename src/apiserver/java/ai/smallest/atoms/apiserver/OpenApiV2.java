package ai.smallest.atoms.apiserver;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A Swagger 2.0 document without definitions, in the gnostic protobuf encoding client-go reads
 * ({@code swagger = 1}, {@code info = 2}). kubectl consults it only for kinds that OpenAPI v3 and
 * the CRDs do not describe, and skips validating kinds it does not list.
 */
final class OpenApiV2 {

  static final String MEDIA_TYPE = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

  private OpenApiV2() {}

  static byte[] emptyDocument() {
    try {
      ByteArrayOutputStream info = new ByteArrayOutputStream();
      CodedOutputStream infoOut = CodedOutputStream.newInstance(info);
      infoOut.writeString(1, "Kubernetes");
      infoOut.writeString(2, EmbeddedApiServer.KUBERNETES_VERSION);
      infoOut.flush();
      ByteArrayOutputStream document = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(document);
      out.writeString(1, "2.0");
      out.writeByteArray(2, info.toByteArray());
      out.flush();
      return document.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
