package dev.reelcars.ingest;

/**
 * An upload that passed every check: a supported type, within the byte and pixel caps, structurally complete and
 * decodable. {@code contentBox} is the picture inside black bars, or null when there are none.
 * {@code signature} holds its perceptual hashes, computed from the one decode validation needed anyway.
 */
record ValidatedImage(byte[] bytes, ImageHeader header, ImageSignature signature, ContentBox contentBox) {
}
