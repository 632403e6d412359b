package dev.sigaudit.registry;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * One HTTP response, body fully read (within its limit).
 *
 * @param uri the URI that produced it (after redirects)
 */
record Response(int status, HttpHeaders headers, byte[] body, URI uri) {
  Optional<String> header(String name) {
    return headers.firstValue(name);
  }

  boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
