package dev.sigaudit.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sigaudit.model.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry stand-in on 127.0.0.1 (JDK HttpServer): a manifest/blob store that behaves like
 * Distribution 2.8 (Accept header required, plain-text 404 on the referrers endpoint, paginated tag
 * lists), explicit per-path overrides for faults, an optional auth gate, and a log of every
 * request.
 */
public final class FakeRegistry implements AutoCloseable {
  /** A handler for one path (overrides the store). */
  @FunctionalInterface
  public interface Route {
    void handle(HttpExchange ex) throws IOException;
  }

  /** One received request. */
  public record Recorded(String method, String path, String query, Headers headers) {
    public String header(String name) {
      return headers.getFirst(name);
    }
  }

  private record Stored(String mediaType, byte[] body) {}

  private static final Pattern TAG_LIST = Pattern.compile("^/v2/(.+)/tags/list$");
  private static final Pattern V2 =
      Pattern.compile("^/v2/(.+)/(manifests|blobs|referrers)/([^/]+)$");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, Stored> manifests = new ConcurrentHashMap<>();
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private volatile String requiredAuthorization;
  private volatile String challenge;

  public FakeRegistry() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  /** {@code 127.0.0.1:PORT}, usable as the registry part of an image reference. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public String url() {
    return "http://" + host();
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public List<Recorded> requests(String pathPart) {
    return requests.stream().filter(r -> r.path().contains(pathPart)).toList();
  }

  /** Overrides one exact path (any method). */
  public FakeRegistry route(String path, Route route) {
    routes.put(path, route);
    return this;
  }

  /** Stores a manifest under a tag or digest reference. */
  public FakeRegistry manifest(String repo, String reference, String mediaType, byte[] body) {
    manifests.put(repo + "|" + reference, new Stored(mediaType, body));
    return this;
  }

  /** Stores a manifest under its own digest; returns the digest. */
  public Digest manifest(String repo, String mediaType, byte[] body) {
    Digest d = Digest.sha256(body);
    manifest(repo, d.toString(), mediaType, body);
    return d;
  }

  /** Stores a blob; returns its digest. */
  public Digest blob(String repo, byte[] body) {
    Digest d = Digest.sha256(body);
    blobs.put(repo + "|" + d, body);
    return d;
  }

  /** /v2/ requests without exactly this Authorization header get 401 with {@code challenge}. */
  public FakeRegistry requireAuthorization(String authorization, String challenge) {
    this.requiredAuthorization = authorization;
    this.challenge = challenge;
    return this;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void dispatch(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(
          new Recorded(
              ex.getRequestMethod(),
              path,
              ex.getRequestURI().getRawQuery(),
              copy(ex.getRequestHeaders())));
      Route route = routes.get(path);
      if (route != null) {
        route.handle(ex);
        return;
      }
      String auth = requiredAuthorization;
      if (auth != null
          && path.startsWith("/v2/")
          && !auth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().add("WWW-Authenticate", challenge);
        sendJson(ex, 401, Responses.error("UNAUTHORIZED", "authentication required"));
        return;
      }
      Matcher list = TAG_LIST.matcher(path);
      if (list.matches()) {
        serveTagList(ex, list.group(1));
        return;
      }
      Matcher m = V2.matcher(path);
      if (!m.matches()) {
        sendText(ex, 404, "404 page not found\n");
        return;
      }
      String key = m.group(1) + "|" + m.group(3);
      switch (m.group(2)) {
        case "manifests" -> serveManifest(ex, key);
        case "blobs" -> serveBlob(ex, key);
        default -> sendText(ex, 404, "404 page not found\n"); // Distribution 2.8: no referrers API
      }
    } catch (IOException | RuntimeException e) {
      // The client went away (e.g. it cancelled an oversized body); nothing to do.
    }
  }

  private void serveManifest(HttpExchange ex, String key) throws IOException {
    Stored s = manifests.get(key);
    String accept = ex.getRequestHeaders().getFirst("Accept");
    // Like Distribution: a manifest whose type is not accepted is reported unknown.
    if (s == null || accept == null || !accept.contains(s.mediaType())) {
      sendJson(ex, 404, Responses.error("MANIFEST_UNKNOWN", "manifest unknown"));
      return;
    }
    ex.getResponseHeaders().add("Content-Type", s.mediaType());
    ex.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(s.body()).toString());
    send(ex, 200, s.body());
  }

  /**
   * Like Distribution: the tags in lexical order, {@code n} per page (all without it) after {@code
   * last}, a {@code Link} header to the next page; 404 NAME_UNKNOWN for a repository it does not
   * have.
   */
  private void serveTagList(HttpExchange ex, String repo) throws IOException {
    java.util.TreeSet<String> tags = new java.util.TreeSet<>();
    boolean known = false;
    for (String key : manifests.keySet()) {
      if (key.startsWith(repo + "|")) {
        known = true;
        String reference = key.substring(repo.length() + 1);
        if (!reference.contains(":")) {
          tags.add(reference);
        }
      }
    }
    if (!known) {
      sendJson(ex, 404, Responses.error("NAME_UNKNOWN", "repository name not known to registry"));
      return;
    }
    Map<String, String> query = new java.util.HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    java.util.SortedSet<String> after =
        query.containsKey("last") ? tags.tailSet(query.get("last"), false) : tags;
    int n = query.containsKey("n") ? Integer.parseInt(query.get("n")) : Integer.MAX_VALUE;
    List<String> page = after.stream().limit(n).toList();
    if (page.size() < after.size()) {
      ex.getResponseHeaders()
          .add(
              "Link",
              "</v2/"
                  + repo
                  + "/tags/list?n="
                  + n
                  + "&last="
                  + page.get(page.size() - 1)
                  + ">; rel=\"next\"");
    }
    StringBuilder json = new StringBuilder("{\"name\":\"" + repo + "\",\"tags\":[");
    for (int i = 0; i < page.size(); i++) {
      json.append(i == 0 ? "" : ",").append('"').append(page.get(i)).append('"');
    }
    sendJson(ex, 200, json.append("]}").toString());
  }

  /** Removes a manifest stored under a tag or digest reference (a signature deleted). */
  public FakeRegistry deleteManifest(String repo, String reference) {
    manifests.remove(repo + "|" + reference);
    return this;
  }

  private void serveBlob(HttpExchange ex, String key) throws IOException {
    byte[] b = blobs.get(key);
    if (b == null) {
      sendJson(ex, 404, Responses.error("BLOB_UNKNOWN", "blob unknown to registry"));
      return;
    }
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    send(ex, 200, b);
  }

  public static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    boolean head = ex.getRequestMethod().equals("HEAD");
    if (head || body.length == 0) {
      if (head && body.length > 0) {
        ex.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
      }
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  public static void sendJson(HttpExchange ex, int status, String json) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    send(ex, status, json.getBytes(StandardCharsets.UTF_8));
  }

  public static void sendText(HttpExchange ex, int status, String text) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    send(ex, status, text.getBytes(StandardCharsets.UTF_8));
  }

  private static Headers copy(Headers h) {
    Headers c = new Headers();
    h.forEach((k, v) -> c.put(k, new ArrayList<>(v)));
    return c;
  }
}
