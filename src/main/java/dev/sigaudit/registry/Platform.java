package dev.sigaudit.registry;

import java.util.Optional;

/**
 * The platform of an index entry (<a
 * href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">OCI image
 * index</a>).
 */
public record Platform(
    String architecture, String os, Optional<String> variant, Optional<String> osVersion) {}
