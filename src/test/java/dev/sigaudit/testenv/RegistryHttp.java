package dev.sigaudit.testenv;

import dev.sigaudit.model.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Raw registry operations for fixtures the CLIs will not make: copying a signature manifest to
 * another tag, tampering with a payload blob, pushing a multi-platform index.
 */
public final class RegistryHttp {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  private final String url;
  private final HttpClient http = HttpClient.newHttpClient();

  public RegistryHttp(OciRegistry registry) {
    this(registry.hostPort());
  }

  /** A plain-HTTP registry at {@code hostPort}, or a proxy in front of one. */
  public RegistryHttp(String hostPort) {
    this.url = "http://" + hostPort;
  }

  public byte[] manifest(String repo, String reference, String mediaType) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/v2/" + repo + "/manifests/" + reference))
                .header("Accept", mediaType)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    check(r, "GET manifest " + repo + ":" + reference);
    return r.body();
  }

  public Digest putManifest(String repo, String reference, String mediaType, byte[] body)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/v2/" + repo + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    check(r, "PUT manifest " + repo + ":" + reference);
    return Digest.sha256(body);
  }

  public void deleteManifest(String repo, Digest digest) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/v2/" + repo + "/manifests/" + digest))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    check(r, "DELETE manifest " + repo + "@" + digest);
  }

  public byte[] blob(String repo, Digest digest) throws Exception {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/v2/" + repo + "/blobs/" + digest)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    check(r, "GET blob " + digest);
    return r.body();
  }

  /** Monolithic upload: POST to start, PUT with the digest to finish. */
  public Digest putBlob(String repo, byte[] content) throws Exception {
    Digest d = Digest.sha256(content);
    HttpResponse<String> start =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    check(start, "POST blob upload");
    String location = start.headers().firstValue("Location").orElseThrow();
    URI uri = location.startsWith("http") ? URI.create(location) : URI.create(url + location);
    String sep = uri.toString().contains("?") ? "&" : "?";
    HttpResponse<String> put =
        http.send(
            HttpRequest.newBuilder(URI.create(uri + sep + "digest=" + d))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    check(put, "PUT blob " + d);
    return d;
  }

  private static void check(HttpResponse<?> r, String what) throws IOException {
    if (r.statusCode() / 100 != 2) {
      throw new IOException(what + ": " + r.statusCode() + " " + r.body());
    }
  }
}
