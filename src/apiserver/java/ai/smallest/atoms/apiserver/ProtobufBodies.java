package ai.smallest.atoms.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes the protobuf request bodies kubectl sends without a JSON fallback ({@code kubectl create
 * secret|configmap|namespace}): the {@code k8s\0} envelope around a {@code runtime.Unknown},
 * holding a Secret, ConfigMap or Namespace in k8s.io/api's generated.proto field numbering.
 * Responses are always JSON, which clients accept whatever they asked for first.
 */
final class ProtobufBodies {

  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private ProtobufBodies() {}

  static ObjectNode decode(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw ApiException.badRequest("the protobuf body does not start with the k8s envelope");
    }
    try {
      CodedInputStream envelope =
          CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length);
      String apiVersion = "";
      String kind = "";
      byte[] raw = new byte[0];
      for (int tag; (tag = envelope.readTag()) != 0; ) {
        switch (tag >>> 3) {
          case 1 -> {
            CodedInputStream typeMeta = envelope.readBytes().newCodedInput();
            for (int t; (t = typeMeta.readTag()) != 0; ) {
              switch (t >>> 3) {
                case 1 -> apiVersion = typeMeta.readString();
                case 2 -> kind = typeMeta.readString();
                default -> typeMeta.skipField(t);
              }
            }
          }
          case 2 -> raw = envelope.readByteArray();
          default -> envelope.skipField(tag);
        }
      }
      ObjectNode object = Json.object().put("apiVersion", apiVersion).put("kind", kind);
      CodedInputStream in = CodedInputStream.newInstance(raw);
      switch (apiVersion + "/" + kind) {
        case "v1/Secret" -> secret(in, object);
        case "v1/ConfigMap" -> configMap(in, object);
        case "v1/Namespace" -> namespace(in, object);
        default ->
            throw ApiException.unsupportedMediaType(
                "the body of the request was in an unknown format - accepted media types "
                    + "include: application/json, application/yaml (protobuf is decoded for v1 Secret, ConfigMap and Namespace only)");
      }
      return object;
    } catch (IOException e) {
      throw ApiException.badRequest("the protobuf body could not be decoded: " + e.getMessage());
    }
  }

  private static void secret(CodedInputStream in, ObjectNode secret) throws IOException {
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1 -> secret.set("metadata", objectMeta(in.readBytes().newCodedInput()));
        case 2 -> mapEntry(in.readBytes().newCodedInput(), secret.with("data"), true);
        case 3 -> putIfNotEmpty(secret, "type", in.readString());
        case 4 -> mapEntry(in.readBytes().newCodedInput(), secret.with("stringData"), false);
        case 5 -> secret.put("immutable", in.readBool());
        default -> in.skipField(tag);
      }
    }
  }

  private static void configMap(CodedInputStream in, ObjectNode configMap) throws IOException {
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1 -> configMap.set("metadata", objectMeta(in.readBytes().newCodedInput()));
        case 2 -> mapEntry(in.readBytes().newCodedInput(), configMap.with("data"), false);
        case 3 -> mapEntry(in.readBytes().newCodedInput(), configMap.with("binaryData"), true);
        case 4 -> configMap.put("immutable", in.readBool());
        default -> in.skipField(tag);
      }
    }
  }

  private static void namespace(CodedInputStream in, ObjectNode namespace) throws IOException {
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag >>> 3 == 1) {
        namespace.set("metadata", objectMeta(in.readBytes().newCodedInput()));
      } else if (tag >>> 3 == 2) {
        CodedInputStream spec = in.readBytes().newCodedInput();
        ArrayNode finalizers = Json.MAPPER.createArrayNode();
        for (int t; (t = spec.readTag()) != 0; ) {
          if (t >>> 3 == 1) {
            finalizers.add(spec.readString());
          } else {
            spec.skipField(t);
          }
        }
        if (!finalizers.isEmpty()) {
          namespace.putObject("spec").set("finalizers", finalizers);
        }
      } else {
        in.skipField(tag);
      }
    }
  }

  /**
   * ObjectMeta's client-settable fields; server-set ones (uid, resourceVersion, timestamps) are
   * ignored on write anyway.
   */
  private static ObjectNode objectMeta(CodedInputStream in) throws IOException {
    ObjectNode metadata = Json.object();
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1 -> putIfNotEmpty(metadata, "name", in.readString());
        case 2 -> putIfNotEmpty(metadata, "generateName", in.readString());
        case 3 -> putIfNotEmpty(metadata, "namespace", in.readString());
        case 6 -> putIfNotEmpty(metadata, "resourceVersion", in.readString());
        case 11 -> mapEntry(in.readBytes().newCodedInput(), metadata.with("labels"), false);
        case 12 -> mapEntry(in.readBytes().newCodedInput(), metadata.with("annotations"), false);
        case 14 -> metadata.withArray("finalizers").add(in.readString());
        default -> in.skipField(tag);
      }
    }
    return metadata;
  }

  private static void mapEntry(CodedInputStream entry, ObjectNode target, boolean bytesValue)
      throws IOException {
    String key = "";
    String value = "";
    for (int tag; (tag = entry.readTag()) != 0; ) {
      switch (tag >>> 3) {
        case 1 -> key = entry.readString();
        case 2 ->
            value =
                bytesValue
                    ? Base64.getEncoder().encodeToString(entry.readByteArray())
                    : new String(entry.readByteArray(), StandardCharsets.UTF_8);
        default -> entry.skipField(tag);
      }
    }
    target.put(key, value);
  }

  private static void putIfNotEmpty(ObjectNode node, String field, String value) {
    if (!value.isEmpty()) {
      node.put(field, value);
    }
  }
}
