package dev.reelcars.ingest;

/**
 * An upload that passed every check: a supported type, within the byte and pixel caps, structurally complete and
 * decodable. {@code phash} is its 64-bit perceptual hash, computed from the one decode validation needed anyway.
 */
record ValidatedImage(byte[] bytes, ImageHeader header, long phash) {
}
